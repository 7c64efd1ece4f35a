// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOBDiamondCut
/// @notice EIP-2535 cut of an order-book diamond. Only the diamond owner (ERC-173) cuts.
interface IOBDiamondCut {
    enum FacetCutAction {
        Add,
        Replace,
        Remove
    }

    struct FacetCut {
        address facetAddress;
        FacetCutAction action;
        bytes4[] functionSelectors;
    }

    /// @notice EIP-2535 event, name fixed by the standard.
    event DiamondCut(FacetCut[] _diamondCut, address _init, bytes _calldata);

    error NotDiamondOwner(address caller, address owner);
    error NoSelectorsInCut(address facet);
    error SelectorAlreadyRegistered(bytes4 selector, address facet);
    error SelectorNotRegistered(bytes4 selector);
    error SameFacetReplace(bytes4 selector, address facet);
    error RemoveFacetNotZero(address facet);
    error FacetHasNoCode(address facet);
    error InitFailed(address init, bytes reason);
    error FunctionNotFound(bytes4 selector);

    /// @notice Add, replace or remove selectors, then delegatecall `_init` with `_calldata`
    /// (skipped when `_init` is zero).
    function diamondCut(FacetCut[] calldata _diamondCut, address _init, bytes calldata _calldata) external;
}

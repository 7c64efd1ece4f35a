// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOBDiamondLoupe
/// @notice EIP-2535 loupe plus ERC-165 of an order-book diamond.
interface IOBDiamondLoupe {
    struct Facet {
        address facetAddress;
        bytes4[] functionSelectors;
    }

    /// @notice Every facet with its selectors.
    function facets() external view returns (Facet[] memory facets_);

    /// @notice The selectors served by `_facet`.
    function facetFunctionSelectors(address _facet) external view returns (bytes4[] memory selectors);

    /// @notice Every facet address.
    function facetAddresses() external view returns (address[] memory addresses);

    /// @notice The facet serving `_selector`, zero when none.
    function facetAddress(bytes4 _selector) external view returns (address facet);

    /// @notice ERC-165.
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}

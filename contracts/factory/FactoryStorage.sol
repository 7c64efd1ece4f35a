// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFuturesMarketFactory} from "../interfaces/IFuturesMarketFactory.sol";

/// @title FactoryStorage
/// @notice The FuturesMarketFactory's state in one ERC-7201 namespace. Append-only.
library FactoryStorage {
    /// @custom:storage-location erc7201:dexetra.factory
    struct Layout {
        address vault;
        address bookOwner;
        address feeRecipient;
        address orderBookInit;
        IFuturesMarketFactory.BookDefaults defaults;
        IFuturesMarketFactory.FacetEntry[] facets;
        bytes32[] marketIds;
        mapping(bytes32 marketId => address orderBook) orderBookOf;
    }

    // keccak256(abi.encode(uint256(keccak256("dexetra.factory")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0xf60812d3565b611aaff5e38433e7a4ab2918c07ca0e9c3220af58864a0f5b200;

    function load() internal pure returns (Layout storage $) {
        bytes32 slot = SLOT;
        assembly {
            $.slot := slot
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoreVault} from "../vault/CoreVault.sol";
import {VaultStorage} from "../vault/storage/VaultStorage.sol";

/// @notice Upgrade-test stand-in for a v2 layout: the v1 namespace struct with one field appended
/// (copied member for member; test/ts/vault/storageLayout.test.ts checks it is append-only).
library VaultStorageV2 {
    /// @custom:storage-location erc7201:dexetra.vault
    struct Layout {
        address collateral;
        uint16 mmrOfImrBps;
        uint16 penaltyBps;
        uint16 insuranceShareBps;
        uint16 liquidatorShareBps;
        uint16 protocolShareBps;
        uint16 maxMarkMoveBps;
        address protocolFeeRecipient;
        uint256 totalExternalCredits;
        mapping(address user => VaultStorage.Account) accounts;
        mapping(bytes32 marketId => mapping(address user => VaultStorage.Position)) positions;
        mapping(bytes32 marketId => VaultStorage.Market) markets;
        bytes32[] marketIds;
        address[] orderBooks;
        mapping(address orderBook => uint256 oneBasedIndex) orderBookIndex;
        mapping(bytes32 marketId => address[]) usersWithPositions;
        mapping(address user => mapping(bytes32 marketId => uint256 oneBasedIndex)) userInMarket;
        address[] knownUsers;
        mapping(bytes32 marketId => mapping(uint256 orderId => VaultStorage.Reservation)) reservations;
        uint256 unallocatedBacking;
        mapping(address user => uint256) backedCredit;
        mapping(bytes32 marketId => mapping(uint256 group => uint256 summary)) riskGroups;
        uint256 v2Field; // appended in v2
    }

    function load() internal pure returns (Layout storage s) {
        bytes32 slot = VaultStorage.SLOT;
        assembly {
            s.slot := slot
        }
    }
}

/// @notice CoreVault v2 for the upgrade test: same code plus the appended field.
contract CoreVaultV2Mock is CoreVault {
    constructor(address riskModule) CoreVault(riskModule) {}

    function setV2Field(uint256 v) external onlyRole(DEFAULT_ADMIN_ROLE) {
        VaultStorageV2.load().v2Field = v;
    }

    function v2Field() external view returns (uint256) {
        return VaultStorageV2.load().v2Field;
    }

    function version() external pure returns (uint256) {
        return 2;
    }
}

/// @notice Layout probe for the v2 struct (never deployed).
contract VaultStorageV2LayoutProbe {
    VaultStorageV2.Layout internal layout;
}

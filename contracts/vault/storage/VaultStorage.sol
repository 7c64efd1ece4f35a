// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title VaultStorage
/// @notice The one ERC-7201 namespace holding every CoreVault field. CoreVault and its delegatecalled
/// VaultRiskModule both reach state only through `load()`, so both read the same slots.
/// @dev Append-only: new fields go at the end of a struct (storage-layouts/CoreVault.json is the
/// committed reference; test/ts/vault/storageLayout.test.ts fails on any other change).
library VaultStorage {
    /// @dev keccak256(abi.encode(uint256(keccak256("dexetra.vault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x7ec8da04ec57782abbe748f03d03414f0805c2f224528e465012d088b982ac00;

    uint256 internal constant MAX_MARKETS_PER_USER = 16;

    uint8 internal constant STATUS_NONE = 0;
    uint8 internal constant STATUS_ACTIVE = 1;
    uint8 internal constant STATUS_SETTLING = 2;
    uint8 internal constant STATUS_SETTLED = 3;

    /// @dev One user's position in one market, packed in ONE slot (the fill path reads and writes
    /// it once). `entryPriceX18` is the USDC price scaled by 1e12 (18 decimals) so weighted averages
    /// of fractional sizes keep full precision. Ranges: |size| < 1.0e13 units, entry < 3.1e8 USDC
    /// per unit, margin < 7.2e10 USDC; SafeCast reverts beyond them.
    struct Position {
        int104 size;
        uint88 entryPriceX18;
        uint56 marginLocked;
        uint8 accountSlot; // 1-based index into Account.markets, 0 when flat
    }

    /// @dev Slot 0 balances, slot 1 margin totals + market count (one read for a margin check),
    /// slot 2 tracking, then the bounded market list.
    struct Account {
        uint128 balance; // all collateral (token-backed + externally credited) incl. realized PnL
        uint128 externalCredit; // part of the balance credited from another chain, still outstanding
        uint120 lockedMargin; // sum of Position.marginLocked
        uint120 reservedMargin; // sum of this user's order reservations
        uint8 marketCount;
        uint64 knownIndex; // 1-based index into knownUsers, 0 = not tracked yet
        bytes32[16] markets; // markets with a non-zero position, at most MAX_MARKETS_PER_USER
    }

    /// @dev Slot 1 pairs the mark (read by every margin check) with the fee pool (written by every fill).
    struct Market {
        address orderBook;
        uint16 initialMarginBps;
        uint8 status;
        uint128 markPrice;
        uint128 feePool; // fees collected, split by sweepFees (protocol share / insurance)
        uint128 insurance;
        uint128 deficit;
        uint128 makerEscrow;
        uint128 finalPrice;
        uint128 settledPositions;
    }

    /// @dev Retired: per-order reservations (the books now keep them; the vault keeps the
    /// per-account total). Kept only so the namespace layout stays append-only.
    struct Reservation {
        address user;
        uint96 amount;
    }

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
        mapping(address user => Account) accounts;
        mapping(bytes32 marketId => mapping(address user => Position)) positions;
        mapping(bytes32 marketId => Market) markets;
        bytes32[] marketIds;
        address[] orderBooks;
        mapping(address orderBook => uint256 oneBasedIndex) orderBookIndex;
        mapping(bytes32 marketId => address[]) usersWithPositions;
        mapping(address user => mapping(bytes32 marketId => uint256 oneBasedIndex)) userInMarket;
        address[] knownUsers;
        mapping(bytes32 marketId => mapping(uint256 orderId => Reservation)) reservations; // retired, never written
        // USDC received from a retired predecessor vault (receiveBacking) not yet assigned to an
        // account by convertExternalCredit: the only source a conversion may draw from.
        uint256 unallocatedBacking;
        mapping(address user => uint256) backedCredit; // external credit converted to token-backed, cumulative
        // Safe-price summary per group of RiskGroupLib.GROUP index entries (see RiskGroupLib).
        mapping(bytes32 marketId => mapping(uint256 group => uint256 summary)) riskGroups;
    }

    function load() internal pure returns (Layout storage s) {
        bytes32 slot = SLOT;
        assembly {
            s.slot := slot
        }
    }
}

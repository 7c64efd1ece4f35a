// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlEnumerableUpgradeable} from "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlEnumerableUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {VaultStorage} from "./storage/VaultStorage.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";

/// @title VaultBase
/// @notice What CoreVault and its delegatecalled VaultRiskModule share: role ids, the order-book
/// gate and paging bounds. It declares no state variable: roles and pause live in OpenZeppelin's
/// ERC-7201 namespaces and vault state in `dexetra.vault`, so code running in the proxy's context
/// reads the same slots whichever contract it was compiled into.
abstract contract VaultBase is AccessControlEnumerableUpgradeable, PausableUpgradeable {
    bytes32 public constant FACTORY_ROLE = keccak256("FACTORY_ROLE");
    bytes32 public constant SETTLEMENT_ROLE = keccak256("SETTLEMENT_ROLE");
    bytes32 public constant EXTERNAL_CREDITOR_ROLE = keccak256("EXTERNAL_CREDITOR_ROLE");
    bytes32 public constant ORDERBOOK_ROLE = keccak256("ORDERBOOK_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Largest page any paged view returns.
    uint256 public constant MAX_PAGE_SIZE = 100;

    /// @dev The caller must be the order book assigned to `marketId`, hold ORDERBOOK_ROLE, and the
    /// market must still be trading.
    function _marketForOrderBook(bytes32 marketId) internal view returns (VaultStorage.Market storage m) {
        m = _marketOfCaller(marketId);
        if (m.status != VaultStorage.STATUS_ACTIVE) revert ICoreVault.MarketIsSettled(marketId);
    }

    /// @dev Order-book gate without the trading-status check.
    function _marketOfCaller(bytes32 marketId) internal view returns (VaultStorage.Market storage m) {
        m = VaultStorage.load().markets[marketId];
        address ob = m.orderBook;
        if (ob == address(0)) revert ICoreVault.UnknownMarket(marketId);
        if (msg.sender != ob) revert ICoreVault.NotMarketOrderBook(marketId, msg.sender, ob);
        _checkRole(ORDERBOOK_ROLE);
    }

    function _checkAdminOrFactory() internal view {
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) _checkRole(FACTORY_ROLE);
    }

    /// @dev A new mark (or final price) may move at most maxMarkMoveBps from the previous mark.
    function _checkMove(VaultStorage.Layout storage s, bytes32 marketId, uint256 old, uint256 price) internal view {
        if (old == 0) return;
        uint256 diff = price > old ? price - old : old - price;
        uint256 maxMove = s.maxMarkMoveBps;
        if (diff * 10_000 > old * maxMove) revert ICoreVault.MarkMoveTooLarge(marketId, old, price, maxMove);
    }
}

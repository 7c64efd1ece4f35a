// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBErrors} from "./IOBErrors.sol";

/// @title IOBVaultAdmin
/// @notice Owner-only wiring and parameters of one order book (the runbook re-points a book at a
/// new CoreVault with `setVault`), plus the optional index price from the vault's SETTLEMENT_ROLE.
interface IOBVaultAdmin is IOBErrors {
    event VaultSet(address indexed oldVault, address indexed newVault);
    event FeeRecipientSet(address indexed oldRecipient, address indexed newRecipient);
    event TradingParamsSet(
        uint256 makerFeeBps,
        uint256 takerFeeBps,
        uint256 marginBps,
        uint256 maxFillsPerTaker,
        uint256 defaultSlippageBps,
        uint256 minNotional
    );
    event LiquidationConfigSet(
        uint256 maxPage,
        uint256 maxUsersPerTx,
        uint256 maxLevels,
        uint256 maxAdlPerTx,
        uint256 liqPriceBoundBps,
        uint256 liqNotionalCap
    );
    event MarkParamsSet(uint256 markClampBps, uint256 indexMaxAge);
    event RewardKeeperSet(address indexed oldKeeper, address indexed newKeeper);
    event IndexPriceSet(uint256 price, address indexed by);

    /// @notice Owner only: re-point the book at `newVault`.
    function setVault(address newVault) external;

    function setFeeRecipient(address newRecipient) external;

    /// @notice Owner only. Bounds: fees <= 100 bps, margin 1..10,000 bps, fills 1..100,
    /// slippage <= 5,000 bps.
    function setTradingParams(
        uint256 makerFeeBps,
        uint256 takerFeeBps,
        uint256 marginBps,
        uint256 maxFillsPerTaker,
        uint256 defaultSlippageBps,
        uint256 minNotional
    ) external;

    /// @notice Owner only. Safe bounds keep a poke inside a 2M-gas block: page 1..50, users per tx
    /// 1..5, levels 1..5, ADL per tx 1..5, price bound 10..5,000 bps, notional cap > 0.
    function setLiquidationConfig(
        uint256 maxPage,
        uint256 maxUsersPerTx,
        uint256 maxLevels,
        uint256 maxAdlPerTx,
        uint256 liqPriceBoundBps,
        uint256 liqNotionalCap
    ) external;

    /// @notice Owner only. clamp 1..2,000 bps per block; index max age in seconds (0 = no index).
    function setMarkParams(uint256 markClampBps, uint256 indexMaxAge) external;

    function setRewardKeeper(address keeper) external;

    /// @notice Holder of the vault's SETTLEMENT_ROLE: push an index price (6 decimals) used by
    /// the mark while fresher than `indexMaxAge`.
    function setIndexPrice(uint256 price) external;
}

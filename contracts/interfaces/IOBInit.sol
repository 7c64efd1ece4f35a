// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBErrors} from "./IOBErrors.sol";

/// @title IOBInit
/// @notice One-time initializer, delegatecalled by the deploying diamond cut.
interface IOBInit is IOBErrors {
    struct InitParams {
        uint256 tickSize; // USDC 6 decimals, 1..2^40 (max price = tickSize * (2^24 - 1))
        uint256 lotSize; // 18 decimals
        uint256 minNotional; // USDC 6 decimals
        uint256 makerFeeBps;
        uint256 takerFeeBps;
        uint256 marginBps; // = the vault's initial margin for the market
        uint256 maxFillsPerTaker;
        uint256 defaultSlippageBps;
        uint256 markClampBps;
        uint256 liqPriceBoundBps;
        uint256 liqNotionalCap; // USDC 6 decimals
        uint256 initialMarkPrice; // 0 = none until the first trade
    }

    event OrderBookInitialized(address indexed vault, bytes32 indexed marketId, address feeRecipient);

    /// @notice Runs once; sets the vault, the market and its parameters, liquidation defaults
    /// (MAX_PAGE 20, MAX_USERS_PER_TX 3, MAX_LEVELS 3) and the loupe's interface ids.
    function obInitialize(address vault, bytes32 marketId, address feeRecipient, InitParams calldata params) external;
}

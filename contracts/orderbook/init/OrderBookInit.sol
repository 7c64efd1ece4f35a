// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBInit} from "../../interfaces/IOBInit.sol";
import {IOBTrading} from "../../interfaces/IOBTrading.sol";
import {IOBViews} from "../../interfaces/IOBViews.sol";
import {IOBLiquidation} from "../../interfaces/IOBLiquidation.sol";
import {IOBVaultAdmin} from "../../interfaces/IOBVaultAdmin.sol";
import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {LibDiamond} from "../libraries/LibDiamond.sol";
import {LibConfig} from "../libraries/LibConfig.sol";

/// @title OrderBookInit
/// @notice Delegatecalled once by the deploying cut (a second call reverts AlreadyInitialized).
contract OrderBookInit is IOBInit {
    /// @inheritdoc IOBInit
    function obInitialize(address vault, bytes32 marketId, address feeRecipient, InitParams calldata p) external {
        S.Layout storage s = S.load();
        if (s.initialized) revert AlreadyInitialized();
        if (vault == address(0) || feeRecipient == address(0)) revert ZeroAddress();
        // Prices are tick * tickSize with tick < 2^24 and are stored as uint64: tickSize <= 2^40.
        LibConfig.check("tickSize", p.tickSize, 1, 1 << 40);
        LibConfig.check("lotSize", p.lotSize, 1, type(uint96).max);
        s.initialized = true;
        s.vault = vault;
        s.marketId = marketId;
        s.feeRecipient = feeRecipient;
        s.params.tickSize = uint64(p.tickSize);
        s.lotSize = uint96(p.lotSize);
        s.nextOrderId = 1;
        LibConfig.setTrading(
            s,
            p.makerFeeBps,
            p.takerFeeBps,
            p.marginBps,
            p.maxFillsPerTaker,
            p.defaultSlippageBps,
            p.minNotional
        );
        LibConfig.setLiquidation(s, 20, 3, 3, 3, p.liqPriceBoundBps, p.liqNotionalCap);
        LibConfig.setMark(s, p.markClampBps, 0);
        if (p.initialMarkPrice != 0) {
            LibConfig.check("initialMarkPrice", p.initialMarkPrice, 1, type(uint64).max);
            s.markPrice = uint64(p.initialMarkPrice);
        }
        LibDiamond.Layout storage d = LibDiamond.load();
        d.supportedInterfaces[type(IOBTrading).interfaceId] = true;
        d.supportedInterfaces[type(IOBViews).interfaceId] = true;
        d.supportedInterfaces[type(IOBLiquidation).interfaceId] = true;
        d.supportedInterfaces[type(IOBVaultAdmin).interfaceId] = true;
        emit OrderBookInitialized(vault, marketId, feeRecipient);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {IOBErrors} from "../../interfaces/IOBErrors.sol";
import {IOBVaultAdmin} from "../../interfaces/IOBVaultAdmin.sol";

/// @title LibConfig
/// @notice Bounded parameter writes shared by the initializer and the admin facet. The liquidation
/// bounds keep a worst-case poke well inside a 2,000,000-gas block.
library LibConfig {
    uint256 internal constant MAX_FEE_BPS = 100;
    uint256 internal constant MAX_FILLS = 100;
    uint256 internal constant MAX_SLIPPAGE_BPS = 5_000;
    uint256 internal constant MAX_PAGE = 50;
    uint256 internal constant MAX_USERS_PER_TX = 5;
    uint256 internal constant MAX_LEVELS = 5;
    uint256 internal constant MAX_ADL_PER_TX = 5;
    uint256 internal constant MAX_CLAMP_BPS = 2_000;

    function check(bytes32 name, uint256 v, uint256 lo, uint256 hi) internal pure {
        if (v < lo || v > hi) revert IOBErrors.BoundOutOfRange(name, v, lo, hi);
    }

    function setTrading(
        S.Layout storage s,
        uint256 makerFeeBps,
        uint256 takerFeeBps,
        uint256 marginBps,
        uint256 maxFills,
        uint256 slippageBps,
        uint256 minNotional
    ) internal {
        check("makerFeeBps", makerFeeBps, 0, MAX_FEE_BPS);
        check("takerFeeBps", takerFeeBps, 0, MAX_FEE_BPS);
        check("marginBps", marginBps, 1, 10_000);
        check("maxFillsPerTaker", maxFills, 1, MAX_FILLS);
        check("defaultSlippageBps", slippageBps, 1, MAX_SLIPPAGE_BPS);
        check("minNotional", minNotional, 0, type(uint64).max);
        S.MarketParams storage p = s.params;
        p.makerFeeBps = uint16(makerFeeBps);
        p.takerFeeBps = uint16(takerFeeBps);
        p.marginBps = uint16(marginBps);
        p.maxFillsPerTaker = uint16(maxFills);
        p.defaultSlippageBps = uint16(slippageBps);
        p.minNotional = uint64(minNotional);
        emit IOBVaultAdmin.TradingParamsSet(makerFeeBps, takerFeeBps, marginBps, maxFills, slippageBps, minNotional);
    }

    function setLiquidation(
        S.Layout storage s,
        uint256 maxPage,
        uint256 maxUsers,
        uint256 maxLevels,
        uint256 maxAdl,
        uint256 boundBps,
        uint256 notionalCap
    ) internal {
        check("maxPage", maxPage, 1, MAX_PAGE);
        check("maxUsersPerTx", maxUsers, 1, MAX_USERS_PER_TX);
        check("maxLevels", maxLevels, 1, MAX_LEVELS);
        check("maxAdlPerTx", maxAdl, 1, MAX_ADL_PER_TX);
        check("liqPriceBoundBps", boundBps, 10, 5_000);
        check("liqNotionalCap", notionalCap, 1, type(uint64).max);
        s.maxPage = uint16(maxPage);
        s.maxUsersPerTx = uint16(maxUsers);
        s.maxLevels = uint16(maxLevels);
        s.maxAdlPerTx = uint16(maxAdl);
        s.params.liqPriceBoundBps = uint16(boundBps);
        s.params.liqNotionalCap = uint64(notionalCap);
        emit IOBVaultAdmin.LiquidationConfigSet(maxPage, maxUsers, maxLevels, maxAdl, boundBps, notionalCap);
    }

    function setMark(S.Layout storage s, uint256 clampBps, uint256 indexMaxAge) internal {
        check("markClampBps", clampBps, 1, MAX_CLAMP_BPS);
        check("indexMaxAge", indexMaxAge, 0, 7 days);
        s.params.markClampBps = uint16(clampBps);
        s.params.indexMaxAge = uint32(indexMaxAge);
        emit IOBVaultAdmin.MarkParamsSet(clampBps, indexMaxAge);
    }
}

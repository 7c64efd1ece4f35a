// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {MockUSDC} from "../../../../contracts/test-support/MockUSDC.sol";
import {ICoreVault} from "../../../../contracts/interfaces/ICoreVault.sol";

/// @notice Drives a CoreVault through every user-visible path with bounded random inputs, acting as
/// the order book, the hub and the keeper. Ghost state: net inflows (for conservation), a rounding
/// slack counter, the page size for index walks, and a flag set when a flat bystander lost balance.
contract VaultHandler is TestBase {
    ICoreVault public immutable vault;
    MockUSDC public immutable usdc;
    address public immutable ob;
    address public immutable hub;
    address public immutable keeper;

    bytes32 public constant ETH = keccak256("ETH-USD");
    bytes32 public constant BTC = keccak256("BTC-USD");
    uint256 public constant ACTORS = 6; // actor 5 never trades: the flat bystander

    address[] public actors;
    uint256 public netInflows;
    uint256 public slack;
    uint256 public pageSize = 1;
    bool public flatUserLost;
    // how often each loss path succeeded (shows the campaign is not vacuous)
    uint256 public fills;
    uint256 public liquidations;
    uint256 public adls;
    uint256 public recovered;
    uint256 public settlements;
    uint256 public screens;
    bool public screenMismatch;
    bytes public lastFillError;
    string public lastLoss;

    constructor(ICoreVault vault_, MockUSDC usdc_, address ob_, address hub_, address keeper_) {
        vault = vault_;
        usdc = usdc_;
        ob = ob_;
        hub = hub_;
        keeper = keeper_;
        for (uint256 i; i < ACTORS; ++i) actors.push(address(uint160(0xA000 + i)));
    }

    function actorsList() external view returns (address[] memory) {
        return actors;
    }

    function markets() public pure returns (bytes32[2] memory) {
        return [ETH, BTC];
    }

    // ------------------------------------------------------------------ flat-user guard

    /// @dev Every action names its participants; any other actor that was flat before the action
    /// must not end it with a smaller balance.
    modifier guard(address p1, address p2, string memory what) {
        uint256[ACTORS] memory before;
        bool[ACTORS] memory watched;
        for (uint256 i; i < ACTORS; ++i) {
            address a = actors[i];
            if (a == p1 || a == p2) continue;
            if (vault.getUserMarkets(a).length != 0) continue;
            watched[i] = true;
            before[i] = vault.balanceOf(a);
        }
        _;
        for (uint256 i; i < ACTORS; ++i) {
            if (watched[i] && vault.balanceOf(actors[i]) < before[i]) {
                flatUserLost = true;
                lastLoss = what;
            }
        }
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % ACTORS];
    }

    function _trader(uint256 seed) internal view returns (address) {
        return actors[seed % (ACTORS - 1)];
    }

    function _market(uint256 seed) internal pure returns (bytes32) {
        return seed % 2 == 0 ? ETH : BTC;
    }

    // ------------------------------------------------------------------ balances

    function deposit(uint256 who, uint256 amount) external {
        address a = _actor(who);
        amount = bound(amount, 1, 100_000e6);
        usdc.mint(a, amount);
        vm.startPrank(a);
        usdc.approve(address(vault), amount);
        vault.deposit(amount);
        vm.stopPrank();
        netInflows += amount;
    }

    function withdraw(uint256 who, uint256 amount) external guard(_actor(who), address(0), "withdraw") {
        address a = _actor(who);
        uint256 max = vault.getWithdrawable(a);
        uint256 held = usdc.balanceOf(address(vault));
        if (held < max) max = held;
        if (max == 0) return;
        amount = bound(amount, 1, max);
        vm.prank(a);
        vault.withdraw(amount);
        netInflows -= amount;
    }

    function creditExternal(uint256 who, uint256 amount) external {
        address a = _actor(who);
        amount = bound(amount, 1, 100_000e6);
        vm.prank(hub);
        vault.creditExternal(a, amount);
        netInflows += amount;
    }

    function debitExternal(uint256 who, uint256 amount) external guard(_actor(who), address(0), "debit") {
        address a = _actor(who);
        uint256 max = vault.externalCreditOf(a);
        uint256 free = vault.getAvailableCollateral(a);
        if (free < max) max = free;
        if (max == 0) return;
        amount = bound(amount, 1, max);
        vm.prank(hub);
        vault.debitExternal(a, amount);
        netInflows -= amount;
    }

    // ------------------------------------------------------------------ trading

    /// @param seeds maker, taker and market choices packed: bits 0-7, 8-15, 16
    function fill(
        uint256 seeds,
        bool takerIsBuy,
        uint256 size,
        uint256 priceBps,
        uint256 fee
    ) external guard(_trader(seeds), _trader(seeds >> 8), "fill") {
        ICoreVault.Fill memory f = _fill(seeds, takerIsBuy, size, priceBps, fee);
        vm.prank(ob);
        try vault.settleFill(f) {
            slack += 2;
            ++fills;
        } catch (bytes memory err) {
            lastFillError = err;
        }
    }

    function _fill(
        uint256 seeds,
        bool takerIsBuy,
        uint256 size,
        uint256 priceBps,
        uint256 fee
    ) internal view returns (ICoreVault.Fill memory f) {
        f.marketId = _market(seeds >> 16);
        f.maker = _trader(seeds);
        f.taker = _trader(seeds >> 8);
        f.takerIsBuy = takerIsBuy;
        f.size = bound(size, 1e12, 5e18);
        f.price = (vault.getMarkPrice(f.marketId) * bound(priceBps, 9_800, 10_200)) / 10_000;
        f.takerFee = bound(fee, 0, 5e6);
        f.makerFee = f.takerFee / 2;
    }

    function reserveAndRelease(uint256 who, uint256 amount, bool release) external {
        address a = _trader(who);
        uint256 reserved = vault.getReservedMargin(a);
        vm.prank(ob);
        if (!release || reserved == 0) {
            try vault.reserveMargin(a, ETH, bound(amount, 0, 1_000e6)) {} catch {}
        } else {
            vault.releaseMargin(a, bound(amount, 0, reserved));
        }
    }

    function moveMark(uint256 marketSeed, uint256 bps, bool up) external {
        bytes32 m = _market(marketSeed);
        uint256 mark = vault.getMarkPrice(m);
        bps = bound(bps, 1, 900);
        uint256 next = up ? (mark * (10_000 + bps)) / 10_000 : (mark * (10_000 - bps)) / 10_000;
        if (next < 10e6 || next > 1_000_000e6) return;
        vm.prank(keeper);
        vault.updateMarkPrice(m, next);
    }

    // ------------------------------------------------------------------ losses

    function liquidate(
        uint256 who,
        uint256 makerSeed,
        uint256 marketSeed,
        uint256 pct
    ) external guard(_trader(who), _trader(makerSeed), "liquidate") {
        address u = _trader(who);
        address maker = _trader(makerSeed);
        bytes32 m = _market(marketSeed);
        if (u == maker || !vault.isLiquidatable(u, m, 0)) return;
        int256 s = vault.getPosition(u, m).size;
        uint256 abs = uint256(s > 0 ? s : -s);
        uint256 sz = (abs * bound(pct, 1, 100)) / 100;
        if (sz == 0) return;
        uint256 mark = vault.getMarkPrice(m);
        vm.prank(ob);
        try vault.settleLiquidationFill(m, u, maker, 0, sz, mark, 0) {
            slack += 2;
            ++liquidations;
            vm.prank(ob);
            vault.chargeLiquidationPenalty(m, u, (sz * mark) / 1e18, keeper);
        } catch {}
    }

    function adl(uint256 who, uint256 cpSeed, uint256 marketSeed) external guard(_trader(who), _trader(cpSeed), "adl") {
        address u = _trader(who);
        address cp = _trader(cpSeed);
        bytes32 m = _market(marketSeed);
        if (u == cp) return;
        vm.prank(ob);
        try vault.adlFill(m, u, cp, type(uint128).max) {
            slack += 2;
            ++adls;
        } catch {}
    }

    function socialize(uint256 marketSeed) external guard(address(0), address(0), "socialize") {
        bytes32 m = _market(marketSeed);
        vm.prank(ob);
        recovered += vault.socializeDeficit(m, actors);
        slack += ACTORS;
    }

    function payRewards(uint256 who, uint256 marketSeed, uint256 amount) external {
        bytes32 m = _market(marketSeed);
        uint256 escrow = vault.makerRewardEscrow(m);
        if (escrow == 0) return;
        address[] memory makers = new address[](1);
        makers[0] = _trader(who);
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = bound(amount, 1, escrow);
        vm.prank(ob);
        vault.payMakerRewards(m, makers, amounts);
    }

    function fundInsurance(uint256 marketSeed, uint256 amount) external {
        amount = bound(amount, 1, 10_000e6);
        usdc.mint(address(this), amount);
        usdc.approve(address(vault), amount);
        vault.fundInsurance(_market(marketSeed), amount);
        netInflows += amount;
    }

    function sweep(uint256 marketSeed) external {
        vault.sweepFees(_market(marketSeed));
        slack += 1;
    }

    /// @dev Rarely settles BTC (terminal for that market), at a price inside the mark band, paging
    /// through the index like a keeper would.
    function settleBtc(uint256 seed) external guard(address(0), address(0), "settle") {
        if (seed % 8 != 0 || vault.getMarketInfo(BTC).status != 1) return;
        uint256 price = (vault.getMarkPrice(BTC) * bound(seed >> 8, 9_500, 10_500)) / 10_000;
        vm.prank(keeper);
        vault.settleMarket(BTC, price);
        for (uint256 i; i < 8 && vault.getMarketInfo(BTC).status == 2; ++i) {
            vm.prank(keeper);
            vault.processSettlement(BTC, 1 + (seed % 3));
        }
        slack += ACTORS;
        ++settlements;
    }

    // ------------------------------------------------------------------ liquidation screening

    /// @notice The order book's poke screen over a random page: rewrites the summaries of the groups
    /// it screens whole, and must return exactly the exact screen's hits for the entries it passed.
    function pokeScreen(uint256 marketSeed, uint256 offset, uint256 limit) external {
        bytes32 m = _market(marketSeed);
        if (vault.getMarketInfo(m).status != 1) return;
        vm.prank(ob);
        (address[] memory hits, uint256 start, uint256 scanned, ) = vault.pokeScreen(
            m,
            bound(offset, 0, ACTORS + 2),
            bound(limit, 1, 25),
            0,
            ACTORS
        );
        (address[] memory exact, ) = vault.screenLiquidatable(m, start, scanned, 0, ACTORS);
        if (hits.length != exact.length) screenMismatch = true;
        for (uint256 i; i < hits.length && i < exact.length; ++i) if (hits[i] != exact[i]) screenMismatch = true;
        ++screens;
    }

    /// @notice Flip a market's initial margin between two values: summaries made under the other
    /// value must not come back to life (the handler holds FACTORY_ROLE).
    function setInitialMargin(uint256 marketSeed, bool high) external {
        bytes32 m = _market(marketSeed);
        vault.setMarketRiskParams(m, high ? 1250 : (m == BTC ? 500 : 1000));
    }

    function setPageSize(uint256 s) external {
        pageSize = bound(s, 1, 7);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {Vm} from "../../utils/Vm.sol";
import {OBFixture} from "../utils/OBFixture.sol";
import {MockUSDC} from "../../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../../contracts/test-support/CoreVaultDeployer.sol";
import {ICoreVault} from "../../../../contracts/interfaces/ICoreVault.sol";
import {IOBTrading} from "../../../../contracts/interfaces/IOBTrading.sol";
import {IOBViews} from "../../../../contracts/interfaces/IOBViews.sol";

/// @notice Random trading by four actors on a real vault + book: limits on both sides in a
/// 21-price band, market orders, cancels, cancel-all, modifies. Reverts (margin, bounds) are fine.
contract BookVaultHandler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    bytes32 public constant MARKET = keccak256("ETH-USD");
    ICoreVault public immutable vault;
    IOBTrading public immutable ob;
    address[4] public actors = [address(0xA1), address(0xB0), address(0xC0), address(0xD0)];
    uint256 public calls;

    constructor(ICoreVault vault_, IOBTrading ob_, MockUSDC usdc) {
        vault = vault_;
        ob = ob_;
        for (uint256 i; i < 4; ++i) {
            usdc.mint(actors[i], 50_000e6);
            vm.startPrank(actors[i]);
            usdc.approve(address(vault_), 50_000e6);
            vault_.deposit(50_000e6);
            vm.stopPrank();
        }
    }

    function placeLimit(uint256 seed) external {
        address a = actors[seed % 4];
        uint256 price = (990 + ((seed >> 8) % 21)) * 1e6;
        uint256 amount = (1 + ((seed >> 16) % 50)) * 1e16; // 0.01 .. 0.5
        bool isBuy = (seed >> 32) & 1 == 1;
        bool postOnly = (seed >> 33) % 5 == 0;
        vm.prank(a);
        try ob.placeLimitOrder(price, amount, isBuy, postOnly, false) {
            ++calls;
        } catch {}
    }

    function placeMarket(uint256 seed) external {
        address a = actors[seed % 4];
        uint256 amount = (1 + ((seed >> 16) % 100)) * 1e16;
        vm.prank(a);
        try ob.placeMarginMarketOrder(amount, (seed >> 32) & 1 == 1) {
            ++calls;
        } catch {}
    }

    function cancelOne(uint256 seed) external {
        address a = actors[seed % 4];
        uint256[] memory ids = IOBViews(address(ob)).getUserOrders(a);
        if (ids.length == 0) return;
        vm.prank(a);
        ob.cancelOrder(ids[(seed >> 8) % ids.length]);
        ++calls;
    }

    function cancelAll(uint256 seed) external {
        if (seed % 7 != 0) return; // rare
        vm.prank(actors[seed % 4]);
        ob.cancelAllOrders();
        ++calls;
    }

    function modify(uint256 seed) external {
        address a = actors[seed % 4];
        uint256[] memory ids = IOBViews(address(ob)).getUserOrders(a);
        if (ids.length == 0) return;
        uint256 price = (990 + ((seed >> 16) % 21)) * 1e6;
        vm.prank(a);
        try ob.modifyOrder(ids[(seed >> 8) % ids.length], price, (1 + ((seed >> 24) % 50)) * 1e16) {
            ++calls;
        } catch {}
    }

    function actorList() external view returns (address[4] memory) {
        return actors;
    }
}

contract BookVaultInvariantTest is TestBase {
    BookVaultHandler internal h;
    ICoreVault internal vault;
    IOBViews internal views;
    bytes32 internal constant MARKET = keccak256("ETH-USD");

    function setUp() public {
        MockUSDC usdc = new MockUSDC(6);
        vault = CoreVaultDeployer.deploy(address(usdc), address(this));
        OBFixture fx = new OBFixture();
        address book = fx.deployBook(fx.deployFacets(), address(this), address(vault), MARKET, fx.defaultParams());
        vault.registerOrderBook(book);
        vault.assignMarketToOrderBook(MARKET, book);
        vault.setMarketRiskParams(MARKET, 1_000);
        views = IOBViews(book);
        h = new BookVaultHandler(vault, IOBTrading(book), usdc);
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(h);
    }

    /// @dev The handler really trades (so the invariants are not vacuous).
    function test_handler_tradesAndRests() public {
        for (uint256 i; i < 30; ++i) {
            uint256 seed = uint256(keccak256(abi.encode(i)));
            h.placeLimit(seed);
            if (i % 3 == 0) h.placeMarket(seed >> 1);
        }
        assertGe(h.calls(), 20, "calls succeeded");
        assertTrue(views.getActiveOrdersCount() > 0, "orders rest");
        assertTrue(vault.getUsersWithPositionsInMarketCount(MARKET) >= 2, "positions opened");
        invariant_levelTotalsEqualSumOfOrders();
        invariant_positionsNetToZeroAndIndexMatches();
        invariant_reservedMarginEqualsRestingReservations();
    }

    function invariant_levelTotalsEqualSumOfOrders() public view {
        address[4] memory actors = h.actorList();
        for (uint256 px = 990; px <= 1010; ++px) {
            for (uint256 side; side < 2; ++side) {
                bool isBuy = side == 1;
                uint256 sum;
                uint256 n;
                for (uint256 i; i < 4; ++i) {
                    uint256[] memory ids = views.getUserOrders(actors[i]);
                    for (uint256 j; j < ids.length; ++j) {
                        IOBViews.OrderView memory o = views.getOrder(ids[j]);
                        if (o.price == px * 1e6 && o.isBuy == isBuy) {
                            sum += o.amount;
                            ++n;
                        }
                    }
                }
                (uint256 total, uint256 count) = views.getDepthAtPrice(px * 1e6, isBuy);
                assertEq(total, sum, "level total");
                assertEq(count, n, "level count");
            }
        }
    }

    function invariant_neverCrossed() public view {
        (uint256 bid, uint256 ask) = views.getBestPrices();
        if (bid != 0 && ask != 0) assertTrue(bid < ask, "crossed book");
    }

    function invariant_positionsNetToZeroAndIndexMatches() public view {
        address[4] memory actors = h.actorList();
        int256 net;
        uint256 holders;
        for (uint256 i; i < 4; ++i) {
            int256 s = vault.getPosition(actors[i], MARKET).size;
            net += s;
            if (s != 0) ++holders;
        }
        assertEq(net, int256(0), "net position");
        assertEq(vault.getUsersWithPositionsInMarketCount(MARKET), holders, "index count");
        address[] memory page = vault.getUsersWithPositionsInMarketPage(MARKET, 0, 100);
        for (uint256 i; i < page.length; ++i) {
            assertTrue(vault.getPosition(page[i], MARKET).size != 0, "indexed user holds a position");
        }
    }

    /// @dev The vault's per-account reserved total is exactly what the account's resting orders hold.
    function invariant_reservedMarginEqualsRestingReservations() public view {
        address[4] memory actors = h.actorList();
        for (uint256 i; i < 4; ++i) {
            uint256[] memory ids = views.getUserOrders(actors[i]);
            uint256 sum;
            for (uint256 j; j < ids.length; ++j) sum += views.getOrderReservation(ids[j]);
            assertEq(vault.getReservedMargin(actors[i]), sum, "reserved = sum of order reservations");
        }
    }

    function invariant_activeCountMatchesUserLists() public view {
        address[4] memory actors = h.actorList();
        uint256 sum;
        for (uint256 i; i < 4; ++i) sum += views.getUserOrders(actors[i]).length;
        assertEq(views.getActiveOrdersCount(), sum, "active orders");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {OBFixture} from "./OBFixture.sol";
import {MockUSDC} from "../../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../../contracts/test-support/CoreVaultDeployer.sol";
import {ICoreVault} from "../../../../contracts/interfaces/ICoreVault.sol";
import {IOBTrading} from "../../../../contracts/interfaces/IOBTrading.sol";
import {IOBViews} from "../../../../contracts/interfaces/IOBViews.sol";
import {IOBLiquidation} from "../../../../contracts/interfaces/IOBLiquidation.sol";
import {IOBVaultAdmin} from "../../../../contracts/interfaces/IOBVaultAdmin.sol";
import {IOBInit} from "../../../../contracts/interfaces/IOBInit.sol";

/// @notice A real CoreVault (proxy + risk module) wired to one order-book diamond, funded traders.
abstract contract OBTestBase is TestBase {
    bytes32 internal constant MARKET = keccak256("ETH-USD");
    uint256 internal constant P = 1e6; // one USDC of price
    uint256 internal constant U = 1e18; // one unit of size
    address internal constant OWNER = address(0xA11CE);
    address internal constant KEEPER = address(0x4EE9E7);

    OBFixture internal fx;
    OBFixture.Facets internal facets;
    MockUSDC internal usdc;
    ICoreVault internal vault;
    address internal book;
    IOBTrading internal ob;
    IOBViews internal obv;
    IOBLiquidation internal obl;

    address internal alice = address(0xA1);
    address internal bob = address(0xB0);
    address internal carol = address(0xC0);
    address internal dave = address(0xD0);

    function setUp() public virtual {
        usdc = new MockUSDC(6);
        vault = CoreVaultDeployer.deploy(address(usdc), address(this));
        fx = new OBFixture();
        facets = fx.deployFacets();
        book = fx.deployBook(facets, OWNER, address(vault), MARKET, params());
        vault.registerOrderBook(book);
        vault.assignMarketToOrderBook(MARKET, book);
        vault.setMarketRiskParams(MARKET, 1_000); // 10x: IM 10 %, MM 5 %
        ob = IOBTrading(book);
        obv = IOBViews(book);
        obl = IOBLiquidation(book);
        fund(alice, 100_000 * P);
        fund(bob, 100_000 * P);
        fund(carol, 100_000 * P);
        fund(dave, 100_000 * P);
    }

    function params() internal view virtual returns (IOBInit.InitParams memory p) {
        p = fx.defaultParams();
    }

    function fund(address user, uint256 amount) internal {
        usdc.mint(user, amount);
        vm.startPrank(user);
        usdc.approve(address(vault), amount);
        vault.deposit(amount);
        vm.stopPrank();
    }

    function limit(address user, uint256 price, uint256 amount, bool isBuy) internal returns (uint256 id) {
        vm.prank(user);
        id = ob.placeMarginLimitOrder(price, amount, isBuy);
    }

    function market(address user, uint256 amount, bool isBuy) internal returns (uint256 filled) {
        vm.prank(user);
        filled = ob.placeMarginMarketOrder(amount, isBuy);
    }

    function pos(address user) internal view returns (int256) {
        return vault.getPosition(user, MARKET).size;
    }

    function entry(address user) internal view returns (uint256) {
        return vault.getPosition(user, MARKET).entryPrice;
    }

    function nextBlock() internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "./VaultTestBase.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {CoreVault} from "../../../contracts/vault/CoreVault.sol";
import {VaultRiskModule} from "../../../contracts/vault/modules/VaultRiskModule.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Role matrix: every state-changing entry point called by an account without the role or
/// market mapping it needs is refused with the expected error; and admin setters enforce bounds.
contract CoreVaultRolesTest is VaultTestBase {
    address internal constant otherOb = address(0x0B0C); // a real order book, but for BTC only

    function setUp() public override {
        super.setUp();
        vault.registerOrderBook(otherOb);
        vault.assignMarketToOrderBook(BTC, otherOb);
        fund(alice, 10_000 * USDC);
        fund(bob, 10_000 * USDC);
    }

    function _unauthorized(address who, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role);
    }

    function _expectRefused(address caller, bytes memory data, bytes memory err) internal {
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(vault).call(data);
        assertFalse(ok, "wrong caller accepted");
        assertEq(keccak256(ret), keccak256(err), "wrong error");
    }

    function _orderBookHooks() internal pure returns (bytes[] memory c) {
        address[] memory addrs = new address[](1);
        uint256[] memory amts = new uint256[](1);
        c = new bytes[](9);
        c[0] = abi.encodeCall(ICoreVault.reserveMargin, (alice, ETH, 1));
        c[1] = abi.encodeCall(ICoreVault.settleFill, (ICoreVault.Fill(ETH, bob, alice, true, ONE, P2000, 0, 0, 0)));
        c[2] = abi.encodeCall(ICoreVault.updatePositionWithMargin, (alice, ETH, int256(ONE), P2000, 0));
        c[3] = abi.encodeCall(ICoreVault.updatePositionWithLiquidation, (alice, ETH, -int256(ONE), P2000));
        c[4] = abi.encodeCall(ICoreVault.settleLiquidationFill, (ETH, alice, bob, 0, ONE, P2000, 0));
        c[5] = abi.encodeCall(ICoreVault.chargeLiquidationPenalty, (ETH, alice, 1, bob));
        c[6] = abi.encodeCall(ICoreVault.payMakerRewards, (ETH, addrs, amts));
        c[7] = abi.encodeCall(ICoreVault.adlFill, (ETH, alice, bob, ONE));
        c[8] = abi.encodeCall(ICoreVault.socializeDeficit, (ETH, addrs));
    }

    /// @dev releaseMargin: any registered book (its orders' reservations must be returnable
    /// whatever happened to its market or role); nobody else.
    function test_releaseMargin_registeredBooksOnly() public {
        vm.prank(ob);
        vault.reserveMargin(alice, ETH, 10);
        _expectRefused(
            stranger,
            abi.encodeCall(ICoreVault.releaseMargin, (alice, 1)),
            abi.encodeWithSelector(ICoreVault.OrderBookNotRegistered.selector, stranger)
        );
        cv.revokeRole(cv.ORDERBOOK_ROLE(), ob);
        vault.pause();
        vm.prank(ob);
        vault.releaseMargin(alice, 4);
        assertEq(vault.getReservedMargin(alice), 6, "released without role, while paused");
        _expectRefused(
            ob,
            abi.encodeCall(ICoreVault.releaseMargin, (alice, 7)),
            abi.encodeWithSelector(ICoreVault.ReleaseExceedsReserved.selector, alice, 7, 6)
        );
    }

    function test_RevertWhen_orderBookHooksCalledByStranger() public {
        bytes[] memory c = _orderBookHooks();
        for (uint256 i; i < c.length; ++i) {
            _expectRefused(
                stranger,
                c[i],
                abi.encodeWithSelector(ICoreVault.NotMarketOrderBook.selector, ETH, stranger, ob)
            );
        }
    }

    function test_RevertWhen_orderBookHooksCalledByAnotherMarketsBook() public {
        bytes[] memory c = _orderBookHooks();
        for (uint256 i; i < c.length; ++i) {
            _expectRefused(
                otherOb,
                c[i],
                abi.encodeWithSelector(ICoreVault.NotMarketOrderBook.selector, ETH, otherOb, ob)
            );
        }
    }

    function test_RevertWhen_orderBookHooksCalledWithoutRole() public {
        cv.revokeRole(cv.ORDERBOOK_ROLE(), ob);
        bytes[] memory c = _orderBookHooks();
        for (uint256 i; i < c.length; ++i) _expectRefused(ob, c[i], _unauthorized(ob, cv.ORDERBOOK_ROLE()));
    }

    function test_RevertWhen_creditorFunctionsCalledWithoutRole() public {
        bytes32 role = cv.EXTERNAL_CREDITOR_ROLE();
        _expectRefused(stranger, abi.encodeCall(ICoreVault.creditExternal, (alice, 1)), _unauthorized(stranger, role));
        _expectRefused(ob, abi.encodeCall(ICoreVault.debitExternal, (alice, 1)), _unauthorized(ob, role));
    }

    function test_RevertWhen_settlementCalledWithoutRole() public {
        bytes32 role = cv.SETTLEMENT_ROLE();
        _expectRefused(ob, abi.encodeCall(ICoreVault.settleMarket, (ETH, P2000)), _unauthorized(ob, role));
        _expectRefused(
            stranger,
            abi.encodeCall(ICoreVault.processSettlement, (ETH, 10)),
            _unauthorized(stranger, role)
        );
    }

    function test_RevertWhen_markUpdatedByOtherBook() public {
        _expectRefused(
            otherOb,
            abi.encodeCall(ICoreVault.updateMarkPrice, (ETH, P2000)),
            abi.encodeWithSelector(ICoreVault.NotMarkUpdater.selector, ETH, otherOb)
        );
    }

    function test_RevertWhen_wiringCalledWithoutFactoryOrAdmin() public {
        bytes32 role = cv.FACTORY_ROLE();
        _expectRefused(
            stranger,
            abi.encodeCall(ICoreVault.registerOrderBook, (stranger)),
            _unauthorized(stranger, role)
        );
        _expectRefused(ob, abi.encodeCall(ICoreVault.assignMarketToOrderBook, (ETH, ob)), _unauthorized(ob, role));
        _expectRefused(ob, abi.encodeCall(ICoreVault.setMarketRiskParams, (ETH, 500)), _unauthorized(ob, role));
    }

    function test_RevertWhen_adminSettersCalledByNonAdmin() public {
        bytes32 role = cv.DEFAULT_ADMIN_ROLE();
        address factory = address(0xFAC);
        cv.grantRole(cv.FACTORY_ROLE(), factory);
        bytes[] memory c = new bytes[](6);
        c[0] = abi.encodeCall(ICoreVault.setMmrParams, (5000));
        c[1] = abi.encodeCall(ICoreVault.setLiquidationParams, (100, 5000, 2000));
        c[2] = abi.encodeCall(ICoreVault.setFeeParams, (factory, 100));
        c[3] = abi.encodeCall(ICoreVault.setMaxMarkMove, (500));
        c[4] = abi.encodeCall(ICoreVault.unpause, ());
        c[5] = abi.encodeWithSignature("upgradeToAndCall(address,bytes)", address(1), "");
        for (uint256 i; i < c.length; ++i) _expectRefused(factory, c[i], _unauthorized(factory, role));
        _expectRefused(
            factory,
            abi.encodeCall(IAccessControl.grantRole, (role, factory)),
            _unauthorized(factory, role)
        );
    }

    function test_RevertWhen_pauseWithoutPauserRole() public {
        bytes32 role = cv.PAUSER_ROLE();
        _expectRefused(stranger, abi.encodeCall(ICoreVault.pause, ()), _unauthorized(stranger, role));
    }

    function test_RevertWhen_userActionsExceedOwnFunds() public {
        // Open entry points act only on the caller's own money.
        _expectRefused(
            stranger,
            abi.encodeCall(ICoreVault.withdraw, (1)),
            abi.encodeWithSelector(ICoreVault.InsufficientFreeCollateral.selector, stranger, 1, 0)
        );
        _expectRefused(
            stranger,
            abi.encodeCall(ICoreVault.topUpPositionMargin, (ETH, 1)),
            abi.encodeWithSelector(ICoreVault.NoPosition.selector, stranger, ETH)
        );
    }

    function test_factoryRole_wiresAndGrantsOrderBookRole() public {
        address factory = address(0xFAC);
        address newOb = address(0x0B0D);
        bytes32 sol = keccak256("SOL");
        cv.grantRole(cv.FACTORY_ROLE(), factory);
        vm.startPrank(factory);
        vault.registerOrderBook(newOb);
        vault.assignMarketToOrderBook(sol, newOb);
        vault.setMarketRiskParams(sol, 500);
        vm.stopPrank();
        assertTrue(cv.hasRole(cv.ORDERBOOK_ROLE(), newOb), "role granted on register");
        assertEq(vault.marketToOrderBook(sol), newOb, "mapped");
        assertEq(vault.getMarketInfo(sol).initialMarginBps, 500, "20x");
        assertEq(vault.getOrderBooksCount(), 3, "books enumerable");
        (bytes32[] memory ids, address[] memory books) = vault.getMarketsPage(2, 10);
        assertEq(ids[0], sol, "market page");
        assertEq(books[0], newOb, "book page");
    }

    function test_RevertWhen_paramsOutOfBounds() public {
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.ParamOutOfBounds.selector, "mmrOfImrBps", 10_000, 1000, 9000)
        );
        vault.setMmrParams(10_000);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.ParamOutOfBounds.selector, "penaltyBps", 1001, 0, 1000));
        vault.setLiquidationParams(1001, 0, 0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICoreVault.ParamOutOfBounds.selector,
                "insuranceShareBps+liquidatorShareBps",
                10_001,
                0,
                10_000
            )
        );
        vault.setLiquidationParams(100, 5001, 5000);
        vm.expectRevert(ICoreVault.ZeroAddress.selector);
        vault.setFeeParams(address(0), 0);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.ParamOutOfBounds.selector, "maxMarkMoveBps", 5001, 10, 5000));
        vault.setMaxMarkMove(5001);
        vm.expectRevert(
            abi.encodeWithSelector(ICoreVault.ParamOutOfBounds.selector, "initialMarginBps", 99, 100, 10_000)
        );
        vault.setMarketRiskParams(ETH, 99);
        vm.expectRevert(abi.encodeWithSelector(ICoreVault.OrderBookNotRegistered.selector, stranger));
        vault.assignMarketToOrderBook(ETH, stranger);
    }

    function test_setMmrParams_maintenanceBelowInitialAtEveryLeverage() public {
        vault.setMmrParams(9000);
        vault.setMarketRiskParams(ETH, 100); // 100x
        // at the highest MMR and leverage a fresh position is still not liquidatable
        trade(alice, ETH, 10 * int256(ONE), P2000);
        assertFalse(vault.isLiquidatable(alice, ETH, 0), "not liquidatable at birth");
        assertEq(vault.getRiskParams().mmrOfImrBps, 9000, "set");
    }

    function test_upgrade_onlyAdmin() public {
        CoreVault v2 = new CoreVault(address(new VaultRiskModule()));
        cv.upgradeToAndCall(address(v2), "");
        assertEq(vault.balanceOf(alice), 10_000 * USDC, "state kept");
    }
}

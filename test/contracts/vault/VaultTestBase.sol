// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {CoreVaultDeployer} from "../../../contracts/test-support/CoreVaultDeployer.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {CoreVault} from "../../../contracts/vault/CoreVault.sol";

/// @notice Shared fixture: MockUSDC(6) + CoreVault proxy with this contract as admin, one market
/// `ETH` served by the order-book account `ob` (an address the tests prank as).
abstract contract VaultTestBase is TestBase {
    MockUSDC internal usdc;
    ICoreVault internal vault;
    CoreVault internal cv; // same address, for role constants and AccessControl views

    address internal constant ob = address(0x0B0B);
    address internal constant alice = address(0xA11CE);
    address internal constant bob = address(0xB0B);
    address internal constant carol = address(0xCA201);
    address internal constant dave = address(0xDA7E);
    address internal constant hub = address(0x4B);
    address internal constant keeper = address(0x4EE9);
    address internal constant stranger = address(0x5757);

    bytes32 internal constant ETH = keccak256("ETH-USD");
    bytes32 internal constant BTC = keccak256("BTC-USD");

    uint256 internal constant USDC = 1e6;
    uint256 internal constant ONE = 1e18;
    uint256 internal constant P2000 = 2000e6;

    function setUp() public virtual {
        usdc = new MockUSDC(6);
        vault = CoreVaultDeployer.deploy(address(usdc), address(this));
        cv = CoreVault(address(vault));
        vault.registerOrderBook(ob);
        vault.assignMarketToOrderBook(ETH, ob);
        vault.assignMarketToOrderBook(BTC, ob);
        cv.grantRole(cv.EXTERNAL_CREDITOR_ROLE(), hub);
        cv.grantRole(cv.SETTLEMENT_ROLE(), keeper);
        cv.grantRole(cv.PAUSER_ROLE(), address(this));
        vm.prank(ob);
        vault.updateMarkPrice(ETH, P2000);
        vm.prank(ob);
        vault.updateMarkPrice(BTC, 50_000e6);
    }

    function fund(address user, uint256 amount) internal {
        usdc.mint(user, amount);
        vm.startPrank(user);
        usdc.approve(address(vault), amount);
        vault.deposit(amount);
        vm.stopPrank();
    }

    /// @dev Single-sided position change through the order book (no fee).
    function trade(address user, bytes32 market, int256 delta, uint256 price) internal returns (int256 pnl) {
        vm.prank(ob);
        return vault.updatePositionWithMargin(user, market, delta, price, 0);
    }

    function fill(address maker, address taker, bool takerIsBuy, uint256 size, uint256 price) internal {
        vm.prank(ob);
        vault.settleFill(ICoreVault.Fill(ETH, maker, taker, takerIsBuy, size, price, 0, 0, 0));
    }

    function setMark(bytes32 market, uint256 price) internal {
        vm.prank(keeper);
        vault.updateMarkPrice(market, price);
    }

    /// @dev Walk a mark to `target` in steps within maxMarkMoveBps (10 %).
    function walkMark(bytes32 market, uint256 target) internal {
        uint256 cur = vault.getMarkPrice(market);
        while (cur != target) {
            uint256 next;
            if (target > cur) next = target > (cur * 109) / 100 ? (cur * 109) / 100 : target;
            else next = target < (cur * 91) / 100 ? (cur * 91) / 100 : target;
            setMark(market, next);
            cur = next;
        }
    }

    function sizeOf(address user, bytes32 market) internal view returns (int256) {
        return vault.getPosition(user, market).size;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "./utils/TestBase.sol";
import {MockUSDC} from "../../contracts/test-support/MockUSDC.sol";

contract MockUSDCTest is TestBase {
    MockUSDC internal usdc;

    function setUp() public {
        usdc = new MockUSDC(6);
    }

    function test_decimals_isSix() public view {
        assertEq(uint256(usdc.decimals()), 6, "decimals");
    }

    function testFuzz_mint_creditsExactAmount(address to, uint128 amount) public {
        vm.assume(to != address(0));
        usdc.mint(to, amount);
        assertEq(usdc.balanceOf(to), amount, "balance");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "./Vm.sol";

/// @notice Minimal assertion base for Hardhat Solidity tests. A failed assertion reverts with a
/// custom error carrying both values, so the runner prints what differed.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error AssertionFailed(string what);
    error AssertEqUint(uint256 left, uint256 right, string what);
    error AssertEqInt(int256 left, int256 right, string what);
    error AssertEqAddress(address left, address right, string what);
    error AssertEqBytes32(bytes32 left, bytes32 right, string what);
    error AssertLe(uint256 left, uint256 right, string what);
    error AssertGe(uint256 left, uint256 right, string what);

    function assertTrue(bool c, string memory what) internal pure {
        if (!c) revert AssertionFailed(what);
    }

    function assertFalse(bool c, string memory what) internal pure {
        if (c) revert AssertionFailed(what);
    }

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert AssertEqUint(a, b, what);
    }

    function assertEq(int256 a, int256 b, string memory what) internal pure {
        if (a != b) revert AssertEqInt(a, b, what);
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) revert AssertEqAddress(a, b, what);
    }

    function assertEq(bytes32 a, bytes32 b, string memory what) internal pure {
        if (a != b) revert AssertEqBytes32(a, b, what);
    }

    function assertEq(bool a, bool b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what);
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert AssertLe(a, b, what);
    }

    function assertGe(uint256 a, uint256 b, string memory what) internal pure {
        if (a < b) revert AssertGe(a, b, what);
    }

    function assertApproxEq(uint256 a, uint256 b, uint256 tol, string memory what) internal pure {
        uint256 d = a > b ? a - b : b - a;
        if (d > tol) revert AssertEqUint(a, b, what);
    }

    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        if (hi <= lo) return lo;
        return lo + (x % (hi - lo + 1));
    }
}

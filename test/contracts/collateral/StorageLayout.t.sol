// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HubFixture} from "./HubFixture.sol";
import {SpokeVault} from "../../../contracts/collateral/SpokeVault.sol";
import {HubStorage} from "../../../contracts/collateral/HubStorage.sol";
import {SpokeStorage} from "../../../contracts/collateral/SpokeStorage.sol";

/// @notice Pins the ERC-7201 layouts of the hub and the spoke: reads raw slots of live proxies.
/// A reordered, retyped or removed field fails here; appending new fields at the end does not.
contract CollateralStorageLayoutTest is HubFixture {
    function setUp() public {
        _setUpHub();
    }

    function _slot(address a, bytes32 base, uint256 i) internal view returns (bytes32) {
        return vm.load(a, bytes32(uint256(base) + i));
    }

    function test_layout_namespaceSlots() public pure {
        bytes32 h = keccak256(abi.encode(uint256(keccak256("dexetra.collateral.hub")) - 1)) & ~bytes32(uint256(0xff));
        bytes32 s = keccak256(abi.encode(uint256(keccak256("dexetra.collateral.spoke")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(HubStorage.SLOT, h, "hub namespace");
        assertEq(SpokeStorage.SLOT, s, "spoke namespace");
    }

    function test_layout_hubIsAppendOnly() public {
        _credit(user, 10e6);
        vm.prank(user);
        bytes32 wid = hub.requestWithdrawal(SPOKE_CHAIN, 4e6);
        address h = address(hub);
        bytes32 b = HubStorage.SLOT;
        bytes32 s0 = _slot(h, b, 0);
        assertEq(address(uint160(uint256(s0))), address(vault), "0: coreVault");
        assertEq(uint256(s0 >> 160) & type(uint64).max, 1, "0+20: outboundNonce");
        assertEq(address(uint160(uint256(_slot(h, b, 1)))), operatorAcct, "1: operator");
        assertEq(address(uint160(uint256(_slot(h, b, 2)))), address(verifier), "2: verifier");
        assertEq(uint256(_slot(h, b, 3)), 1, "3: spokeChainIds.length");
        bytes32 spokeSlot = keccak256(abi.encode(uint256(SPOKE_CHAIN), uint256(b) + 4));
        assertEq(address(uint160(uint256(vm.load(h, spokeSlot)))), SPOKE, "4: spokes[chain].spoke");
        bytes32 creditWin = keccak256(abi.encode(uint256(SPOKE_CHAIN), uint256(b) + 5));
        assertEq(uint256(vm.load(h, creditWin)) >> 64, 10e6, "5: creditWindows[chain].used");
        bytes32 withdrawWin = keccak256(abi.encode(uint256(SPOKE_CHAIN), uint256(b) + 6));
        assertEq(uint256(vm.load(h, withdrawWin)) >> 64, 4e6, "6: withdrawWindows[chain].used");
        bytes32 depositId = keccak256(abi.encode(SPOKE_CHAIN, SPOKE, uint64(1)));
        assertEq(uint256(vm.load(h, keccak256(abi.encode(depositId, uint256(b) + 7)))), 1, "7: processed");
        assertTrue(wid != bytes32(0), "withdrawal id");
        bytes32 inner = keccak256(abi.encode(user, uint256(b) + 8));
        assertEq(uint256(vm.load(h, keccak256(abi.encode(uint256(SPOKE_CHAIN), inner)))), 6e6, "8: creditedFrom");
    }

    function test_layout_spokeIsAppendOnly() public {
        address hubAddr = address(0x4B);
        SpokeVault spoke = _deploySpoke(usdc, hubAddr, verifier, _limits(100e6, 500e6), _limits(200e6, 900e6));
        usdc.mint(user, 30e6);
        vm.startPrank(user);
        usdc.approve(address(spoke), 30e6);
        spoke.deposit(30e6);
        vm.stopPrank();
        address a = address(spoke);
        bytes32 b = SpokeStorage.SLOT;
        bytes32 s0 = _slot(a, b, 0);
        assertEq(address(uint160(uint256(s0))), address(usdc), "0: usdc");
        assertEq(uint256(s0 >> 160) & type(uint64).max, HUB_CHAIN, "0+20: hubChainId");
        assertEq(address(uint160(uint256(_slot(a, b, 1)))), hubAddr, "1: hub");
        bytes32 s2 = _slot(a, b, 2);
        assertEq(address(uint160(uint256(s2))), address(verifier), "2: verifier");
        assertEq(uint256(s2 >> 160) & type(uint64).max, 1, "2+20: depositNonce");
        assertEq(uint256(_slot(a, b, 3)) & type(uint128).max, 100e6, "3: depositLimits.maxPerMessage");
        assertEq(uint256(_slot(a, b, 3)) >> 128, 500e6, "3+16: depositLimits.maxPerPeriod");
        assertEq(uint256(_slot(a, b, 4)), 1 days, "4: depositLimits.period");
        assertEq(uint256(_slot(a, b, 5)) & type(uint128).max, 200e6, "5: releaseLimits.maxPerMessage");
        assertEq(uint256(_slot(a, b, 7)) >> 64, 30e6, "7: depositWindow.used");
        assertEq(uint256(_slot(a, b, 9)), 30e6, "9: totalDeposited");
        assertEq(uint256(_slot(a, b, 10)), 0, "10: totalReleased");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../../utils/TestBase.sol";
import {HubFixture} from "../HubFixture.sol";
import {IMessageVerifier} from "../../../../contracts/interfaces/IMessageVerifier.sol";

/// @notice Random deliveries, replays (same or re-shaped payload, other signer pairs) and
/// withdrawals against a hub wired to the real CoreVault.
contract HubCreditsHandler is HubFixture {
    address[3] internal users = [address(0xA1), address(0xA2), address(0xA3)];
    IMessageVerifier.Message[] internal delivered;
    uint256 public ghostCredited;
    uint256 public ghostWithdrawn;
    uint256 public replaysAccepted;

    constructor() {
        _setUpHub();
        vm.prank(admin);
        hub.setSpoke(SPOKE_CHAIN, SPOKE, true, _limits(type(uint128).max, type(uint128).max));
    }

    function _pair(uint256 seed) internal pure returns (uint256[] memory) {
        uint256 k = seed % 3;
        return
            k == 0
                ? _keys(PK1, PK2)
                : k == 1
                    ? _keys(PK2, PK3)
                    : _keys(PK1, PK3);
    }

    function deliverNew(uint256 seed) external {
        uint256 amount = bound(seed, 1, 1_000_000e6);
        IMessageVerifier.Message memory m = _deposit(users[seed % 3], amount);
        hub.receiveDeposit(m, _sign(verifier, m, _pair(seed >> 8)));
        delivered.push(m);
        ghostCredited += amount;
        ++nextNonce;
    }

    function replay(uint256 seed, uint256 newAmount) external {
        if (delivered.length == 0) return;
        IMessageVerifier.Message memory m = delivered[seed % delivered.length];
        if (newAmount % 2 == 0) m.amount = bound(newAmount, 1, 1_000_000e6); // re-shaped twin
        bytes memory proof = _sign(verifier, m, _pair(seed >> 8));
        try hub.receiveDeposit(m, proof) {
            ++replaysAccepted;
        } catch {}
    }

    function withdraw(uint256 seed, uint256 amount) external {
        address u = users[seed % 3];
        uint256 credited = hub.creditedFrom(u, SPOKE_CHAIN);
        if (credited == 0) return;
        amount = bound(amount, 1, credited);
        vm.prank(u);
        hub.requestWithdrawal(SPOKE_CHAIN, amount);
        ghostWithdrawn += amount;
    }

    function deliveredCount() external view returns (uint256) {
        return delivered.length;
    }

    function deliveredAt(uint256 i) external view returns (IMessageVerifier.Message memory) {
        return delivered[i];
    }

    function userAt(uint256 i) external view returns (address) {
        return users[i];
    }

    function hubAddress() external view returns (address) {
        return address(hub);
    }

    function vaultAddress() external view returns (address) {
        return address(vault);
    }
}

contract HubCreditsInvariantTest is TestBase {
    HubCreditsHandler internal h;

    function setUp() public {
        h = new HubCreditsHandler();
        h.deliverNew(1);
        h.deliverNew(2);
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(h);
    }

    /// @notice One (source chain, spoke, nonce) is credited at most once.
    function invariant_noReplayEverCredited() public view {
        assertEq(h.replaysAccepted(), 0, "replay accepted");
    }

    /// @notice The vault's external credits are exactly what was delivered minus what was withdrawn.
    function invariant_vaultCreditsMatchDeliveries() public view {
        (bool ok, bytes memory ret) = h.vaultAddress().staticcall(abi.encodeWithSignature("totalExternalCredits()"));
        assertTrue(ok, "view");
        assertEq(abi.decode(ret, (uint256)), h.ghostCredited() - h.ghostWithdrawn(), "total external credits");
    }

    /// @notice Per user, the hub's per-spoke ledger and the vault's external credit agree.
    function invariant_hubLedgerMatchesVault() public view {
        for (uint256 i; i < 3; ++i) {
            address u = h.userAt(i);
            (, bytes memory a) = h.hubAddress().staticcall(
                abi.encodeWithSignature("creditedFrom(address,uint64)", u, uint64(42161))
            );
            (, bytes memory b) = h.vaultAddress().staticcall(abi.encodeWithSignature("externalCreditOf(address)", u));
            assertEq(abi.decode(a, (uint256)), abi.decode(b, (uint256)), "ledgers");
        }
    }
}

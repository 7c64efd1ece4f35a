// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultTestBase} from "../vault/VaultTestBase.sol";
import {MigrationCreditor} from "../../../contracts/migration/MigrationCreditor.sol";
import {IMigrationCreditor} from "../../../contracts/interfaces/IMigrationCreditor.sol";

/// @notice Merkle-claim migration onto a real CoreVault: three leaves (alice, bob, carol), proofs
/// built exactly as OpenZeppelin's StandardMerkleTree does (double-hashed leaves, sorted pairs).
contract MigrationCreditorTest is VaultTestBase {
    MigrationCreditor internal creditor;
    bytes32 internal la;
    bytes32 internal lb;
    bytes32 internal lc;
    bytes32 internal root;
    uint256 internal constant A = 1_234_567_891; // 1,234.567891 USDC: micro-USDC precision kept
    uint256 internal constant B = 42e6;
    uint256 internal constant C = 1;

    function _leaf(address u, uint256 amt) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(u, amt))));
    }

    function _pair(bytes32 x, bytes32 y) internal pure returns (bytes32) {
        return x < y ? keccak256(abi.encode(x, y)) : keccak256(abi.encode(y, x));
    }

    function setUp() public override {
        super.setUp();
        la = _leaf(alice, A);
        lb = _leaf(bob, B);
        lc = _leaf(carol, C);
        root = _pair(_pair(la, lb), lc);
        creditor = new MigrationCreditor(address(vault), root, A + B + C);
        cv.grantRole(cv.EXTERNAL_CREDITOR_ROLE(), address(creditor));
    }

    function _proofA() internal view returns (bytes32[] memory p) {
        p = new bytes32[](2);
        p[0] = lb;
        p[1] = lc;
    }

    function test_claim_creditsUserOnceAndTracksThem() public {
        vm.prank(keeper); // a keeper claims on alice's behalf: the credit still goes to alice
        creditor.claim(alice, A, _proofA());
        assertEq(vault.balanceOf(alice), A, "alice credited to the micro-USDC");
        assertEq(vault.externalCreditOf(alice), A, "as external credit");
        assertEq(creditor.claimedTotal(), A, "claimed total");
        assertTrue(creditor.claimed(alice), "marked claimed");
        assertEq(vault.getKnownUsersCount(), 1, "alice is a known user");
    }

    function test_claim_allLeavesReconcileToTotal() public {
        creditor.claim(alice, A, _proofA());
        bytes32[] memory pb = new bytes32[](2);
        pb[0] = la;
        pb[1] = lc;
        creditor.claim(bob, B, pb);
        bytes32[] memory pc = new bytes32[](1);
        pc[0] = _pair(la, lb);
        creditor.claim(carol, C, pc);
        assertEq(creditor.claimedTotal(), creditor.total(), "claims reconcile to the snapshot total");
        assertEq(vault.totalExternalCredits(), A + B + C, "vault external credits equal the total");
    }

    function test_RevertWhen_claimedTwice() public {
        creditor.claim(alice, A, _proofA());
        vm.expectRevert(abi.encodeWithSelector(IMigrationCreditor.AlreadyClaimed.selector, alice));
        creditor.claim(alice, A, _proofA());
    }

    function test_RevertWhen_amountInflated() public {
        vm.expectRevert(abi.encodeWithSelector(IMigrationCreditor.InvalidProof.selector, alice, A + 1));
        creditor.claim(alice, A + 1, _proofA());
    }

    function test_RevertWhen_otherUsersProof() public {
        vm.expectRevert(abi.encodeWithSelector(IMigrationCreditor.InvalidProof.selector, dave, A));
        creditor.claim(dave, A, _proofA());
    }

    function test_RevertWhen_creditorLacksRole() public {
        cv.revokeRole(cv.EXTERNAL_CREDITOR_ROLE(), address(creditor));
        vm.expectRevert();
        creditor.claim(alice, A, _proofA());
        assertFalse(creditor.claimed(alice), "a failed credit leaves the claim open");
    }

    function test_RevertWhen_zeroVault() public {
        vm.expectRevert(IMigrationCreditor.ZeroAddress.selector);
        new MigrationCreditor(address(0), root, 1);
    }
}

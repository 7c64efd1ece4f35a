// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CollateralFixture} from "./CollateralFixture.sol";
import {ThresholdVerifier} from "../../../contracts/collateral/ThresholdVerifier.sol";
import {IMessageVerifier} from "../../../contracts/interfaces/IMessageVerifier.sol";
import {IThresholdVerifier} from "../../../contracts/interfaces/IThresholdVerifier.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

contract ThresholdVerifierTest is CollateralFixture {
    IMessageVerifier.Message internal m;

    function setUp() public {
        verifier = _deployVerifier(admin);
        m = IMessageVerifier.Message({
            kind: 1,
            srcChainId: 42161,
            srcContract: address(0x5B0E),
            dstChainId: uint64(block.chainid),
            dstContract: address(0x4B),
            nonce: 7,
            user: user,
            amount: 250e6
        });
    }

    function test_verifyMessage_acceptsTwoOfThree() public view {
        verifier.verifyMessage(m, _sign(verifier, m, _keys(PK1, PK3)));
        verifier.verifyMessage(m, _sign(verifier, m, _keys(PK2, PK3)));
    }

    function test_verifyMessage_acceptsAllThree() public view {
        uint256[] memory k = new uint256[](3);
        k[0] = PK1;
        k[1] = PK2;
        k[2] = PK3;
        verifier.verifyMessage(m, _sign(verifier, m, k));
    }

    function test_RevertWhen_belowThreshold() public {
        bytes memory proof = _sign(verifier, m, _key(PK1));
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.NotEnoughSignatures.selector, 1, 2));
        verifier.verifyMessage(m, proof);
    }

    function test_RevertWhen_emptyProof() public {
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.NotEnoughSignatures.selector, 0, 2));
        verifier.verifyMessage(m, "");
    }

    function test_RevertWhen_forgedByOutsider() public {
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK_OUTSIDER));
        // whichever order the addresses sort in, the outsider is refused by name
        address outsider = vm.addr(PK_OUTSIDER);
        uint256 idx = outsider > vm.addr(PK1) ? 1 : 0;
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.UnknownSigner.selector, idx, outsider));
        verifier.verifyMessage(m, proof);
    }

    function test_RevertWhen_sameSignerTwice() public {
        bytes memory one = _sign(verifier, m, _key(PK2));
        address s2 = vm.addr(PK2);
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.SignersNotAscending.selector, 1, s2, s2));
        verifier.verifyMessage(m, bytes.concat(one, one));
    }

    function test_RevertWhen_messageTampered() public {
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        m.amount = 250_000e6;
        // the signatures now recover to unrelated addresses
        vm.expectRevert();
        verifier.verifyMessage(m, proof);
    }

    function test_RevertWhen_signedForAnotherVerifier() public {
        ThresholdVerifier other = _deployVerifier(admin);
        bytes memory proof = _sign(other, m, _keys(PK1, PK2));
        vm.expectRevert();
        verifier.verifyMessage(m, proof);
    }

    function test_RevertWhen_malformedProof() public {
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.MalformedProof.selector, 64));
        verifier.verifyMessage(m, new bytes(64));
    }

    function test_RevertWhen_signatureInvalid() public {
        bytes memory proof = _sign(verifier, m, _keys(PK1, PK2));
        proof[64] = bytes1(uint8(29)); // v outside {27, 28}
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.InvalidSignature.selector, 0));
        verifier.verifyMessage(m, proof);
    }

    function test_rotateSigners_voidsPreviousSet() public {
        bytes memory oldProof = _sign(verifier, m, _keys(PK1, PK2));
        address[] memory s = new address[](2);
        s[0] = vm.addr(PK3);
        s[1] = vm.addr(PK_OUTSIDER);
        vm.prank(admin);
        verifier.rotateSigners(s, 2);
        assertEq(uint256(verifier.epoch()), 2, "epoch");
        assertFalse(verifier.isSigner(vm.addr(PK1)), "PK1 void");
        assertTrue(verifier.isSigner(vm.addr(PK_OUTSIDER)), "new signer");
        vm.expectRevert();
        verifier.verifyMessage(m, oldProof);
        verifier.verifyMessage(m, _sign(verifier, m, _keys(PK3, PK_OUTSIDER)));
    }

    function test_RevertWhen_rotateSigners_notAdmin() public {
        address[] memory s = new address[](2);
        s[0] = vm.addr(PK1);
        s[1] = vm.addr(PK_OUTSIDER);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                vm.addr(PK1),
                verifier.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(vm.addr(PK1));
        verifier.rotateSigners(s, 2);
    }

    function test_RevertWhen_grantRole_bySigner() public {
        bytes32 adminRole = verifier.DEFAULT_ADMIN_ROLE();
        address signer = vm.addr(PK1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, signer, adminRole)
        );
        vm.prank(signer);
        verifier.grantRole(adminRole, signer);
    }

    function test_RevertWhen_thresholdIsOne() public {
        address[] memory s = new address[](2);
        s[0] = vm.addr(PK1);
        s[1] = vm.addr(PK2);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.ThresholdTooLow.selector, 1, 2));
        verifier.rotateSigners(s, 1);
    }

    function test_RevertWhen_thresholdAboveSigners() public {
        address[] memory s = new address[](2);
        s[0] = vm.addr(PK1);
        s[1] = vm.addr(PK2);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.ThresholdAboveSigners.selector, 3, 2));
        verifier.rotateSigners(s, 3);
    }

    function test_RevertWhen_duplicateInNewSet() public {
        address[] memory s = new address[](3);
        s[0] = vm.addr(PK1);
        s[1] = vm.addr(PK2);
        s[2] = vm.addr(PK1);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.InvalidSigner.selector, vm.addr(PK1)));
        verifier.rotateSigners(s, 2);
    }

    function test_RevertWhen_constructedWithThresholdOne() public {
        address[] memory s = new address[](1);
        s[0] = vm.addr(PK1);
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.ThresholdTooLow.selector, 1, 2));
        new ThresholdVerifier(admin, s, 1);
    }

    /// @notice No single key, whichever it is, can authenticate any message.
    function testFuzz_verifyMessage_singleKeyNeverSuffices(uint256 pk, uint256 amount, uint64 nonce) public {
        pk = bound(pk, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        m.amount = amount;
        m.nonce = nonce;
        bytes memory proof = _sign(verifier, m, _key(pk));
        vm.expectRevert(abi.encodeWithSelector(IThresholdVerifier.NotEnoughSignatures.selector, 1, 2));
        verifier.verifyMessage(m, proof);
    }
}

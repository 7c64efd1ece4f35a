// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {ThresholdVerifier} from "../../../contracts/collateral/ThresholdVerifier.sol";
import {SpokeVault} from "../../../contracts/collateral/SpokeVault.sol";
import {CollateralProxy} from "../../../contracts/collateral/CollateralProxy.sol";
import {IMessageVerifier} from "../../../contracts/interfaces/IMessageVerifier.sol";
import {ICollateralErrors} from "../../../contracts/interfaces/ICollateralErrors.sol";

/// @notice Shared set-up for collateral tests: a 2-of-3 threshold verifier with known keys and a
/// helper that signs a message with any subset of keys in the order the verifier requires.
abstract contract CollateralFixture is TestBase {
    uint256 internal constant PK1 = 0xA11CE;
    uint256 internal constant PK2 = 0xB0B;
    uint256 internal constant PK3 = 0xC4A11;
    uint256 internal constant PK_OUTSIDER = 0xBAD;
    uint64 internal constant HUB_CHAIN = 999;

    address internal admin = address(0xAD);
    address internal user = address(0xB1);
    address internal stranger = address(0x57);

    ThresholdVerifier internal verifier;

    function _deployVerifier(address verifierAdmin) internal returns (ThresholdVerifier) {
        address[] memory s = new address[](3);
        s[0] = vm.addr(PK1);
        s[1] = vm.addr(PK2);
        s[2] = vm.addr(PK3);
        return new ThresholdVerifier(verifierAdmin, s, 2);
    }

    function _limits(uint128 perMsg, uint128 perPeriod) internal pure returns (ICollateralErrors.Limits memory) {
        return ICollateralErrors.Limits({maxPerMessage: perMsg, maxPerPeriod: perPeriod, period: 1 days});
    }

    /// @notice Signatures by `pks`, sorted by signer address (ascending) and concatenated.
    function _sign(
        ThresholdVerifier v,
        IMessageVerifier.Message memory m,
        uint256[] memory pks
    ) internal view returns (bytes memory proof) {
        bytes32 digest = v.messageDigest(m);
        uint256 n = pks.length;
        // insertion sort by address: n is tiny
        for (uint256 i = 1; i < n; ++i) {
            uint256 k = pks[i];
            uint256 j = i;
            while (j > 0 && vm.addr(pks[j - 1]) > vm.addr(k)) {
                pks[j] = pks[j - 1];
                --j;
            }
            pks[j] = k;
        }
        for (uint256 i; i < n; ++i) {
            (uint8 vv, bytes32 r, bytes32 s) = vm.sign(pks[i], digest);
            proof = bytes.concat(proof, r, s, bytes1(vv));
        }
    }

    function _keys(uint256 a, uint256 b) internal pure returns (uint256[] memory k) {
        k = new uint256[](2);
        k[0] = a;
        k[1] = b;
    }

    function _key(uint256 a) internal pure returns (uint256[] memory k) {
        k = new uint256[](1);
        k[0] = a;
    }

    function _deploySpoke(
        MockUSDC usdc,
        address hubAddr,
        IMessageVerifier v,
        ICollateralErrors.Limits memory dep,
        ICollateralErrors.Limits memory rel
    ) internal returns (SpokeVault) {
        SpokeVault impl = new SpokeVault();
        bytes memory init = abi.encodeCall(SpokeVault.initialize, (admin, usdc, HUB_CHAIN, hubAddr, v, dep, rel));
        return SpokeVault(address(new CollateralProxy(address(impl), init)));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CollateralFixture} from "./CollateralFixture.sol";
import {CollateralHub} from "../../../contracts/collateral/CollateralHub.sol";
import {CollateralProxy} from "../../../contracts/collateral/CollateralProxy.sol";
import {IMessageVerifier} from "../../../contracts/interfaces/IMessageVerifier.sol";
import {ICoreVault} from "../../../contracts/interfaces/ICoreVault.sol";
import {MockUSDC} from "../../../contracts/test-support/MockUSDC.sol";
import {VaultDeployer} from "./VaultDeployer.sol";

/// @notice A hub behind its proxy, wired to a real CoreVault with a registered spoke.
abstract contract HubFixture is CollateralFixture, VaultDeployer {
    uint64 internal constant SPOKE_CHAIN = 42161;
    address internal constant SPOKE = address(0x5B0E);
    address internal operatorAcct = address(0x0B);

    MockUSDC internal usdc;
    ICoreVault internal vault;
    CollateralHub internal hub;
    uint64 internal nextNonce = 1;

    function _setUpHub() internal {
        usdc = new MockUSDC(6);
        verifier = _deployVerifier(admin);
        vault = _deployVault(usdc, admin);
        CollateralHub impl = new CollateralHub();
        bytes memory init = abi.encodeCall(CollateralHub.initialize, (admin, address(vault), operatorAcct, verifier));
        hub = CollateralHub(address(new CollateralProxy(address(impl), init)));
        _grantCreditor(vault, admin, address(hub));
        vm.prank(admin);
        hub.setSpoke(SPOKE_CHAIN, SPOKE, true, _limits(1_000e6, 5_000e6));
    }

    function _deposit(address to, uint256 amount) internal view returns (IMessageVerifier.Message memory) {
        return
            IMessageVerifier.Message({
                kind: 1,
                srcChainId: SPOKE_CHAIN,
                srcContract: SPOKE,
                dstChainId: uint64(block.chainid),
                dstContract: address(hub),
                nonce: nextNonce,
                user: to,
                amount: amount
            });
    }

    function _credit(address to, uint256 amount) internal returns (IMessageVerifier.Message memory m) {
        m = _deposit(to, amount);
        hub.receiveDeposit(m, _sign(verifier, m, _keys(PK1, PK2)));
        ++nextNonce;
    }
}

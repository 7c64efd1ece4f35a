// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoreVault} from "../vault/CoreVault.sol";
import {CoreVaultProxy} from "../vault/CoreVaultProxy.sol";
import {VaultRiskModule} from "../vault/modules/VaultRiskModule.sol";
import {ICoreVault} from "../interfaces/ICoreVault.sol";

/// @title CoreVaultDeployer
/// @notice For Solidity tests of any area: deploy VaultRiskModule, the CoreVault implementation
/// and the ERC-1967 proxy, initialized with `usdc` and `admin`, in one call.
library CoreVaultDeployer {
    function deploy(address usdc, address admin) internal returns (ICoreVault vault) {
        VaultRiskModule module = new VaultRiskModule();
        CoreVault impl = new CoreVault(address(module));
        CoreVaultProxy proxy = new CoreVaultProxy(address(impl), abi.encodeCall(CoreVault.initialize, (usdc, admin)));
        return ICoreVault(address(proxy));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IMessageVerifier} from "../interfaces/IMessageVerifier.sol";
import {ICollateralErrors} from "../interfaces/ICollateralErrors.sol";

/// @title SpokeStorage
/// @notice The SpokeVault's whole state in one ERC-7201 namespace. Append-only.
library SpokeStorage {
    /// @custom:storage-location erc7201:dexetra.collateral.spoke
    struct Layout {
        IERC20 usdc;
        uint64 hubChainId;
        address hub;
        IMessageVerifier verifier;
        uint64 depositNonce;
        ICollateralErrors.Limits depositLimits;
        ICollateralErrors.Limits releaseLimits;
        ICollateralErrors.Window depositWindow;
        ICollateralErrors.Window releaseWindow;
        uint256 totalDeposited;
        uint256 totalReleased;
        mapping(bytes32 messageId => bool) processed;
    }

    // keccak256(abi.encode(uint256(keccak256("dexetra.collateral.spoke")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x7701435203da85db635db97825c5d834956c2ecebbee5646fc31ebe6ad887600;

    function load() internal pure returns (Layout storage $) {
        bytes32 slot = SLOT;
        assembly {
            $.slot := slot
        }
    }
}

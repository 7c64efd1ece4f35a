// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOBErrors} from "../../interfaces/IOBErrors.sol";

/// @title LibLock
/// @notice Transient (EIP-1153) reentrancy lock shared by every state-changing book entry point,
/// in its own namespace so no facet declares a slot-0 guard variable.
library LibLock {
    /// @dev keccak256(abi.encode(uint256(keccak256("dexetra.orderbook.lock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x367667923fa82580f6011b6d7c1bcb123898b6f762e5040523d4e38b93e89800;

    function enter() internal {
        bytes32 slot = SLOT;
        uint256 locked;
        assembly {
            locked := tload(slot)
        }
        if (locked != 0) revert IOBErrors.Reentered();
        assembly {
            tstore(slot, 1)
        }
    }

    function exit() internal {
        bytes32 slot = SLOT;
        assembly {
            tstore(slot, 0)
        }
    }
}

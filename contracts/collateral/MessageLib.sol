// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMessageVerifier} from "../interfaces/IMessageVerifier.sol";

/// @title MessageLib
/// @notice Kinds, EIP-712 struct hash and id of a collateral message.
library MessageLib {
    uint8 internal constant KIND_DEPOSIT = 1;
    uint8 internal constant KIND_WITHDRAWAL = 2;

    bytes32 internal constant MESSAGE_TYPEHASH =
        keccak256(
            "Message(uint8 kind,uint64 srcChainId,address srcContract,uint64 dstChainId,address dstContract,uint64 nonce,address user,uint256 amount)"
        );

    /// @notice EIP-712 struct hash of `m` (all fields are static, so abi.encode of the struct is exact).
    function structHash(IMessageVerifier.Message calldata m) internal pure returns (bytes32) {
        return keccak256(abi.encode(MESSAGE_TYPEHASH, m));
    }

    /// @notice The replay key: one message per (source chain, source contract, nonce), whatever
    /// its other fields say. A forged twin of a consumed message therefore cannot be consumed.
    function id(uint64 srcChainId, address srcContract, uint64 nonce) internal pure returns (bytes32) {
        return keccak256(abi.encode(srcChainId, srcContract, nonce));
    }
}

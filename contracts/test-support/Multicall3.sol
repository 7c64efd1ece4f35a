// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Multicall3
/// @notice The `aggregate3` subset of the canonical Multicall3 that viem's `multicall` uses, for
/// in-process chains that lack the canonical deployment. Live chains use the canonical contract.
contract Multicall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Thrown when a call that does not allow failure reverts.
    error CallFailed(uint256 index);

    /// @notice Aggregate calls, each allowed to fail or not.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory results) {
        results = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            // Multicall is a read batching tool: plain calls, the caller decides what failure means.
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = calls[i].target.call(calls[i].callData);
            if (!ok && !calls[i].allowFailure) revert CallFailed(i);
            results[i] = Result(ok, data);
        }
    }

    /// @notice The current block number (lets a batch pin the block it was read at).
    function getBlockNumber() external view returns (uint256) {
        return block.number;
    }
}

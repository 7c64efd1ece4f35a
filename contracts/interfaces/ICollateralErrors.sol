// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMessageVerifier} from "./IMessageVerifier.sol";

/// @title ICollateralErrors
/// @notice Errors, events and types shared by the CollateralHub and the SpokeVault (one catalogue,
/// no name declared twice).
interface ICollateralErrors {
    /// @notice A rate limit: at most `maxPerMessage` per message and `maxPerPeriod` per `period` seconds.
    struct Limits {
        uint128 maxPerMessage;
        uint128 maxPerPeriod;
        uint64 period;
    }

    /// @notice The amount used in the current fixed window that started at `start`.
    struct Window {
        uint64 start;
        uint192 used;
    }

    event VerifierSet(address indexed previousVerifier, address indexed newVerifier);

    error ZeroAddress();
    error ZeroAmount();
    error InvalidLimits(uint256 maxPerMessage, uint256 maxPerPeriod, uint256 period);
    error AmountAboveMessageLimit(uint256 amount, uint256 maxPerMessage);
    error PeriodLimitExceeded(uint256 amount, uint256 usedInPeriod, uint256 maxPerPeriod);
    error WrongMessageKind(uint8 kind, uint8 expected);
    error WrongDestination(uint64 dstChainId, address dstContract);
    error UnknownSource(uint64 srcChainId, address srcContract);
    error MessageAlreadyProcessed(bytes32 messageId, uint64 srcChainId, address srcContract, uint64 nonce);
    error InvalidCollateralDecimals(address token, uint8 decimals);

    /// @notice The id of a message: keccak256(abi.encode(srcChainId, srcContract, nonce)).
    /// Each id is consumed at most once by its destination.
    function isProcessed(bytes32 messageId) external view returns (bool);

    function verifier() external view returns (IMessageVerifier);
}

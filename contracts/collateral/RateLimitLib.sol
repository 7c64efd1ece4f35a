// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICollateralErrors} from "../interfaces/ICollateralErrors.sol";

/// @title RateLimitLib
/// @notice Fixed-window limits: a cap per message and a cap per `period` seconds. A compromised
/// transport can move at most one period's cap before the pauser reacts.
library RateLimitLib {
    /// @notice Limits are valid when every field is set and one message fits in a period.
    function validate(ICollateralErrors.Limits memory lim) internal pure {
        if (lim.maxPerMessage == 0 || lim.maxPerPeriod < lim.maxPerMessage || lim.period == 0) {
            revert ICollateralErrors.InvalidLimits(lim.maxPerMessage, lim.maxPerPeriod, lim.period);
        }
    }

    /// @notice Account `amount` against the limits, starting a new window when the old one expired.
    function consume(
        ICollateralErrors.Window storage w,
        ICollateralErrors.Limits storage lim,
        uint256 amount
    ) internal {
        uint256 maxPerMessage = lim.maxPerMessage;
        if (amount > maxPerMessage) revert ICollateralErrors.AmountAboveMessageLimit(amount, maxPerMessage);
        uint256 used = w.used;
        if (block.timestamp >= uint256(w.start) + lim.period) {
            w.start = uint64(block.timestamp);
            used = 0;
        }
        uint256 maxPerPeriod = lim.maxPerPeriod;
        // amount <= maxPerMessage <= 2^128 and used <= maxPerPeriod < 2^128: the sum cannot overflow.
        if (used + amount > maxPerPeriod) revert ICollateralErrors.PeriodLimitExceeded(amount, used, maxPerPeriod);
        w.used = uint192(used + amount);
    }
}

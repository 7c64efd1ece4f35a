// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICollateralErrors} from "../interfaces/ICollateralErrors.sol";

/// @title RateLimitLib
/// @notice Fixed-window limits: a cap per message and a cap per `period` seconds. A compromised
/// transport can move at most one period's cap before the pauser reacts.
library RateLimitLib {
    /// @notice Limits are valid when every field is set and one message fits in a period.
    function validate(ICollateralErrors.Limits memory l) internal pure {
        if (l.maxPerMessage == 0 || l.maxPerPeriod < l.maxPerMessage || l.period == 0) {
            revert ICollateralErrors.InvalidLimits(l.maxPerMessage, l.maxPerPeriod, l.period);
        }
    }

    /// @notice Account `amount` against the limits, starting a new window when the old one expired.
    function consume(ICollateralErrors.Window storage w, ICollateralErrors.Limits storage l, uint256 amount) internal {
        uint256 maxPerMessage = l.maxPerMessage;
        if (amount > maxPerMessage) revert ICollateralErrors.AmountAboveMessageLimit(amount, maxPerMessage);
        uint256 used = w.used;
        if (block.timestamp >= uint256(w.start) + l.period) {
            w.start = uint64(block.timestamp);
            used = 0;
        }
        uint256 maxPerPeriod = l.maxPerPeriod;
        // amount <= maxPerMessage <= 2^128 and used <= maxPerPeriod < 2^128: the sum cannot overflow.
        if (used + amount > maxPerPeriod) revert ICollateralErrors.PeriodLimitExceeded(amount, used, maxPerPeriod);
        w.used = uint192(used + amount);
    }
}

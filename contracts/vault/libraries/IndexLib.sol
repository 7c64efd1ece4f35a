// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VaultStorage} from "../storage/VaultStorage.sol";
import {ICoreVault} from "../../interfaces/ICoreVault.sol";
import {RiskGroupLib} from "./RiskGroupLib.sol";

/// @title IndexLib
/// @notice O(1) membership lists: the per-market user index (`usersWithPositions` /
/// `userInMarket`), each account's bounded market list, and the global known-users list.
/// Removal is swap-and-pop; nothing here loops.
library IndexLib {
    function ensureUserTracked(VaultStorage.Layout storage s, address user) internal {
        VaultStorage.Account storage a = s.accounts[user];
        if (a.knownIndex != 0) return;
        s.knownUsers.push(user);
        uint256 len = s.knownUsers.length;
        a.knownIndex = uint64(len);
        emit ICoreVault.UserTracked(user, len - 1);
    }

    /// @dev A position went 0 -> non-0. Returns the 1-based slot in the account's market list.
    function add(VaultStorage.Layout storage s, bytes32 marketId, address user) internal returns (uint8) {
        VaultStorage.Account storage a = s.accounts[user];
        uint256 count = a.marketCount;
        if (count >= VaultStorage.MAX_MARKETS_PER_USER) {
            revert ICoreVault.TooManyMarkets(user, VaultStorage.MAX_MARKETS_PER_USER);
        }
        a.markets[count] = marketId;
        // count < 16, so the cast cannot truncate.
        a.marketCount = uint8(count + 1);
        address[] storage list = s.usersWithPositions[marketId];
        list.push(user);
        uint256 len = list.length;
        s.userInMarket[user][marketId] = len;
        // Now cross-margined: no safe band of its own (RiskGroupLib); its entries get flagged.
        if (count != 0) RiskGroupLib.enterAnotherMarket(s, marketId, user, len - 1, count);
        return uint8(count + 1);
    }

    /// @dev A position went non-0 -> 0: swap-and-pop out of both lists.
    function remove(VaultStorage.Layout storage s, bytes32 marketId, address user, uint8 accountSlot) internal {
        VaultStorage.Account storage a = s.accounts[user];
        uint256 last = a.marketCount;
        if (accountSlot != last) {
            bytes32 moved = a.markets[last - 1];
            a.markets[accountSlot - 1] = moved;
            s.positions[moved][user].accountSlot = accountSlot;
        }
        delete a.markets[last - 1];
        a.marketCount = uint8(last - 1);

        address[] storage list = s.usersWithPositions[marketId];
        uint256 idx = s.userInMarket[user][marketId];
        uint256 lastIdx = list.length;
        if (idx != lastIdx) {
            address movedUser = list[lastIdx - 1];
            list[idx - 1] = movedUser;
            s.userInMarket[movedUser][marketId] = idx;
            RiskGroupLib.widen(s, marketId, movedUser, idx - 1);
        }
        list.pop();
        delete s.userInMarket[user][marketId];
    }

    /// @dev Page of an address list; limit capped at `maxLimit`, offset past the end = empty.
    function page(
        address[] storage list,
        uint256 offset,
        uint256 limit,
        uint256 maxLimit
    ) internal view returns (address[] memory out) {
        uint256 len = list.length;
        if (offset >= len) return new address[](0);
        if (limit > maxLimit) limit = maxLimit;
        uint256 end = offset + limit > len ? len : offset + limit;
        out = new address[](end - offset);
        for (uint256 i = offset; i < end; ++i) out[i - offset] = list[i];
    }
}

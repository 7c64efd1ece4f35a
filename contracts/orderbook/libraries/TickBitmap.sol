// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderBookStorage} from "../storage/OrderBookStorage.sol";

/// @title TickBitmap
/// @notice Set of non-empty price ticks (uint24) as a three-level bitmap: inserting a level is
/// O(1) (at most three word writes) and the next best tick is found with at most six word reads,
/// whatever the number of levels between. Replaces the v5 linked-list walk that dust levels griefed.
library TickBitmap {
    /// @notice Mark `tick` as holding a level.
    function set(OrderBookStorage.Bitmap storage b, uint256 tick) internal {
        uint256 w = tick >> 8;
        uint256 leafWord = b.leaf[w];
        b.leaf[w] = leafWord | (1 << (tick & 0xff));
        if (leafWord != 0) return;
        uint256 g = tick >> 16;
        uint256 midWord = b.mid[g];
        b.mid[g] = midWord | (1 << (w & 0xff));
        if (midWord != 0) return;
        b.root |= 1 << g;
    }

    /// @notice Mark `tick` as empty.
    function clear(OrderBookStorage.Bitmap storage b, uint256 tick) internal {
        uint256 w = tick >> 8;
        uint256 leafWord = b.leaf[w] & ~(1 << (tick & 0xff));
        b.leaf[w] = leafWord;
        if (leafWord != 0) return;
        uint256 g = tick >> 16;
        uint256 midWord = b.mid[g] & ~(1 << (w & 0xff));
        b.mid[g] = midWord;
        if (midWord != 0) return;
        b.root &= ~(1 << g);
    }

    /// @notice `clear`, reporting whether the words it read already prove a set tick strictly above
    /// `tick` (`up`) or strictly below it (!up). False means "not proven", not "none".
    function clearProving(OrderBookStorage.Bitmap storage b, uint256 tick, bool up) internal returns (bool beyond) {
        uint256 w = tick >> 8;
        uint256 bit = tick & 0xff;
        uint256 leafWord = b.leaf[w] & ~(1 << bit);
        b.leaf[w] = leafWord;
        if (leafWord != 0) return up ? leafWord >> bit > 0 : leafWord << (256 - bit) > 0;
        uint256 g = tick >> 16;
        uint256 wb = w & 0xff;
        uint256 midWord = b.mid[g] & ~(1 << wb);
        b.mid[g] = midWord;
        if (midWord != 0) return up ? midWord >> wb > 0 : midWord << (256 - wb) > 0;
        b.root &= ~(1 << g);
    }

    /// @notice Whether `tick` holds a level.
    function isSet(OrderBookStorage.Bitmap storage b, uint256 tick) internal view returns (bool) {
        return (b.leaf[tick >> 8] >> (tick & 0xff)) & 1 == 1;
    }

    /// @notice Lowest set tick strictly above `tick`, 0 when none (tick 0 is never a price).
    function nextAbove(OrderBookStorage.Bitmap storage b, uint256 tick) internal view returns (uint256) {
        if (tick >= 0xffffff) return 0;
        uint256 t = tick + 1;
        uint256 w = t >> 8;
        uint256 bits = b.leaf[w] >> (t & 0xff);
        if (bits != 0) return t + lsb(bits);
        uint256 g = w >> 8;
        if ((w & 0xff) < 0xff) {
            uint256 midBits = b.mid[g] >> ((w & 0xff) + 1);
            if (midBits != 0) {
                uint256 w2 = w + 1 + lsb(midBits);
                return (w2 << 8) | lsb(b.leaf[w2]);
            }
        }
        if (g >= 0xff) return 0;
        uint256 rootBits = b.root >> (g + 1);
        if (rootBits == 0) return 0;
        uint256 g2 = g + 1 + lsb(rootBits);
        uint256 w3 = (g2 << 8) | lsb(b.mid[g2]);
        return (w3 << 8) | lsb(b.leaf[w3]);
    }

    /// @notice Highest set tick strictly below `tick`, 0 when none.
    function nextBelow(OrderBookStorage.Bitmap storage b, uint256 tick) internal view returns (uint256) {
        if (tick <= 1) return 0;
        uint256 t = tick - 1;
        uint256 w = t >> 8;
        uint256 bits = b.leaf[w] << (255 - (t & 0xff));
        if (bits != 0) return t - (255 - msb(bits));
        uint256 g = w >> 8;
        if ((w & 0xff) > 0) {
            uint256 midBits = b.mid[g] << (256 - (w & 0xff));
            if (midBits != 0) {
                uint256 w2 = w - (256 - msb(midBits));
                return (w2 << 8) | msb(b.leaf[w2]);
            }
        }
        if (g == 0) return 0;
        uint256 rootBits = b.root << (256 - g);
        if (rootBits == 0) return 0;
        uint256 g2 = g - (256 - msb(rootBits));
        uint256 w3 = (g2 << 8) | msb(b.mid[g2]);
        return (w3 << 8) | msb(b.leaf[w3]);
    }

    /// @dev Index of the most significant set bit of x (x != 0).
    function msb(uint256 x) internal pure returns (uint256 r) {
        assembly {
            r := shl(7, lt(0xffffffffffffffffffffffffffffffff, x))
            r := or(r, shl(6, lt(0xffffffffffffffff, shr(r, x))))
            r := or(r, shl(5, lt(0xffffffff, shr(r, x))))
            r := or(r, shl(4, lt(0xffff, shr(r, x))))
            r := or(r, shl(3, lt(0xff, shr(r, x))))
            r := or(r, shl(2, lt(0xf, shr(r, x))))
            r := or(r, shl(1, lt(0x3, shr(r, x))))
            r := or(r, lt(0x1, shr(r, x)))
        }
    }

    /// @dev Index of the least significant set bit of x (x != 0).
    function lsb(uint256 x) internal pure returns (uint256) {
        unchecked {
            // x & -x isolates the lowest set bit; two's complement negation is the intent.
            return msb(x & (~x + 1));
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {OrderBookStorage as S} from "../../../contracts/orderbook/storage/OrderBookStorage.sol";
import {TickBitmap} from "../../../contracts/orderbook/libraries/TickBitmap.sol";

contract BitmapHarness {
    using TickBitmap for S.Bitmap;
    S.Bitmap internal b;

    function set(uint256 t) external {
        b.set(t);
    }

    function clear(uint256 t) external {
        b.clear(t);
    }

    function clearProving(uint256 t, bool up) external returns (bool) {
        return b.clearProving(t, up);
    }

    function isSet(uint256 t) external view returns (bool) {
        return b.isSet(t);
    }

    function above(uint256 t) external view returns (uint256) {
        return b.nextAbove(t);
    }

    function below(uint256 t) external view returns (uint256) {
        return b.nextBelow(t);
    }
}

contract TickBitmapTest is TestBase {
    BitmapHarness internal h;

    function setUp() public {
        h = new BitmapHarness();
    }

    function test_nextAbove_findsAcrossWordsAndGroups() public {
        h.set(5);
        h.set(300); // next leaf word
        h.set(70_000); // next group
        h.set(0xfffffe);
        assertEq(h.above(0), 5, "first");
        assertEq(h.above(5), 300, "word");
        assertEq(h.above(300), 70_000, "group");
        assertEq(h.above(70_000), 0xfffffe, "last group");
        assertEq(h.above(0xfffffe), 0, "none");
        assertEq(h.above(0xffffff), 0, "top");
    }

    function test_nextBelow_findsAcrossWordsAndGroups() public {
        h.set(1);
        h.set(255);
        h.set(256);
        h.set(65_535);
        h.set(65_536);
        h.set(0xffffff);
        assertEq(h.below(0xffffff), 65_536, "group");
        assertEq(h.below(65_536), 65_535, "group edge");
        assertEq(h.below(65_535), 256, "word");
        assertEq(h.below(256), 255, "word edge");
        assertEq(h.below(255), 1, "same word");
        assertEq(h.below(1), 0, "none");
    }

    function test_clear_emptiesUpperLevels() public {
        h.set(70_000);
        h.set(10);
        h.clear(70_000);
        assertEq(h.above(10), 0, "group cleared");
        assertEq(h.below(0xffffff), 10, "only low tick");
        assertFalse(h.isSet(70_000), "bit");
    }

    /// @dev Against a reference: random set/clear over a small window mapped to spread-out ticks,
    /// then nextAbove/nextBelow from every window point equal a linear scan.
    function test_clearProving_provesFromTheWordsItReads() public {
        h.set(95_000); // word 371, group 1
        h.set(99_000); // word 386, same group
        h.set(95_010); // same word as 95,000
        assertTrue(h.clearProving(95_000, true), "a higher tick in the same word");
        assertFalse(h.clearProving(95_010, false), "nothing below: not proven");
        assertTrue(h.clearProving(99_000, false) == false, "the mid word shows nothing below 386");
        assertEq(h.above(0), 0, "all cleared");
        h.set(95_000);
        h.set(99_000);
        assertTrue(h.clearProving(95_000, true), "the mid word shows word 386 above");
        assertTrue(h.isSet(99_000) && !h.isSet(95_000), "state as clear()");
    }

    function testFuzz_matchesLinearScan(uint256 seed) public {
        uint256[16] memory ticks;
        bool[16] memory on;
        for (uint256 i; i < 16; ++i) {
            ticks[i] = 1 + i * 4_093 + (uint256(keccak256(abi.encode(seed, i))) % 4_000);
        }
        for (uint256 k; k < 40; ++k) {
            uint256 r = uint256(keccak256(abi.encode(seed, "op", k)));
            uint256 i = r % 16;
            if ((r >> 8) % 3 == 0) {
                if ((r >> 16) & 1 == 0) {
                    h.clear(ticks[i]);
                } else {
                    bool up = (r >> 17) & 1 == 0;
                    bool exists;
                    for (uint256 j; j < 16; ++j) if (on[j] && j != i && (up ? j > i : j < i)) exists = true;
                    // A proof is never wrong (it may be missing when the words read do not show it).
                    if (h.clearProving(ticks[i], up)) assertTrue(exists, "proven beyond => a set tick beyond");
                }
                on[i] = false;
            } else {
                h.set(ticks[i]);
                on[i] = true;
            }
        }
        for (uint256 i; i < 16; ++i) {
            uint256 expAbove;
            for (uint256 j = i + 1; j < 16; ++j) {
                if (on[j]) {
                    expAbove = ticks[j];
                    break;
                }
            }
            uint256 expBelow;
            for (uint256 j = i; j > 0; --j) {
                if (on[j - 1]) {
                    expBelow = ticks[j - 1];
                    break;
                }
            }
            assertEq(h.above(ticks[i]), expAbove, "above");
            assertEq(h.below(ticks[i]), expBelow, "below");
            assertEq(h.isSet(ticks[i]), on[i], "isSet");
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OrderBookStorage
/// @notice The one ERC-7201 namespace shared by every order-book facet. Append-only once deployed:
/// retired fields become `__unused_n`, never removed or reordered.
/// @dev Prices are stored as ticks (`price = tick * tickSize`, tick 0 = "none"); resting sizes in
/// lots (`amount = lots * lotSize`). Hot data is packed so each path touches few slots: an order is
/// ONE slot, a price level one, the book header one (best prices, counters), the wiring one
/// (vault address and lot size).
///
/// Order storage: every trader gets a 32-bit trader id on their first resting order and owns 64
/// order slots `orders[traderId << 6 | k]`, k = 0..63 (the 64-order cap per trader). An order
/// that leaves the book is deleted (its slot zeroed: a 4.8k refund to the transaction removing
/// it), so a slot is live iff its `seq` is non-zero. The trader's `UserBook.mask` marks slots that
/// may be live: placement sets the bit and the owner's cancel clears it, but a fill (or a
/// self-trade or liquidation cancel) that removes an order does not (that would cost a cold read
/// and a write of the maker's book on every exhausting fill); a placement that finds all 64 bits
/// set first clears the bits of zeroed slots. The trader's order list is the
/// live slots among the set bits: no links, no per-order list slot.
/// The public order id is `seq << 40 | handle` (`handle = traderId << 6 | k`, `seq` a global
/// counter stored in the order), so an id names its slot and a stale id (its slot since zeroed or
/// reused by a newer order) is refused.
library OrderBookStorage {
    /// @dev keccak256(abi.encode(uint256(keccak256("dexetra.orderbook")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x2ac1717e228daef9b0fc2626a0a57dc9f200810e7d05fe220fc5e82c96821000;

    uint8 internal constant FLAG_BUY = 1;
    uint8 internal constant FLAG_REDUCE_ONLY = 2;

    /// @notice Resting orders per trader (the width of `UserBook.mask`).
    uint256 internal constant MAX_ORDERS_PER_USER = 64;
    /// @notice Bits of a public order id below the sequence number (the handle).
    uint256 internal constant HANDLE_BITS = 40;
    uint256 internal constant HANDLE_MASK = (1 << 40) - 1;
    /// @notice Largest resting size in lots and reservation (USDC) one order slot holds.
    uint256 internal constant MAX_LOTS = type(uint48).max;
    uint256 internal constant MAX_RESERVE = type(uint56).max;

    /// @notice A resting order in one slot. `reserve` is the margin this order still holds in the
    /// vault (0 for reduce-only): set at placement, scaled down on partial fills, released in full
    /// when the order leaves the book, so the releases telescope exactly to what was reserved.
    /// `prev`/`next` are handles of the neighbours in the price level's FIFO queue (a level head's
    /// `prev` is stale and never read). `seq` != 0 for every live order.
    struct Order {
        uint40 seq;
        uint48 lots;
        uint24 tick;
        uint40 prev;
        uint40 next;
        uint56 reserve;
        uint8 flags;
    }

    /// @notice One price level of one side: FIFO queue ends (handles) and the resting total (one slot).
    struct Level {
        uint40 head;
        uint40 tail;
        uint128 total; // 18 decimals
        uint32 count;
    }

    /// @notice Three-level bitmap over uint24 ticks: `root` bit i = word group i non-empty,
    /// `mid[i]` bit j = leaf word (i<<8|j) non-empty, `leaf[w]` bit k = tick (w<<8|k) has a level.
    struct Bitmap {
        uint256 root;
        mapping(uint256 group => uint256) mid;
        mapping(uint256 word => uint256) leaf;
    }

    /// @notice A trader's id and order slots in use: bit k set = `orders[traderId << 6 | k]` may
    /// be live (it is iff its seq is non-zero); bit clear = free.
    struct UserBook {
        uint32 traderId; // 0 until the trader's first resting order
        uint64 mask;
    }

    /// @notice Market parameters fixed at init, owner-adjustable within bounds. Slot 0 holds what
    /// every placement reads (tick, min notional, fees, margin, fill bound).
    struct MarketParams {
        uint64 tickSize; // USDC 6 decimals
        uint64 minNotional; // USDC 6 decimals
        uint16 makerFeeBps;
        uint16 takerFeeBps;
        uint16 marginBps; // margin reserved for a resting order, = the vault's initial margin
        uint16 maxFillsPerTaker;
        uint16 defaultSlippageBps; // bound for placeMarginMarketOrder without an explicit one
        uint16 markClampBps; // max mark move per block vs the block's anchor
        uint16 liqPriceBoundBps; // liquidation fills stay within mark -/+ this
        uint64 liqNotionalCap; // USDC closed per liquidated user per transaction
        uint32 indexMaxAge; // seconds an index price counts for the mark; 0 = no index
    }

    /// @custom:storage-location erc7201:dexetra.orderbook
    struct Layout {
        // ---- wiring (one slot: the vault and the lot, read by every entry point)
        address vault;
        uint96 lotSize; // 18 decimals, fixed at init
        bytes32 marketId;
        address feeRecipient;
        MarketParams params;
        // ---- book header (one slot, touched by every order)
        uint40 nextOrderId; // next public sequence number
        uint24 bestBid;
        uint24 bestAsk;
        uint64 lastTradePrice;
        uint32 traderCount; // trader ids handed out (ids are 1-based)
        bool initialized;
        mapping(uint256 handle => Order) orders;
        mapping(uint256 tick => Level) bidLevels;
        mapping(uint256 tick => Level) askLevels;
        Bitmap bidMap;
        Bitmap askMap;
        mapping(address trader => UserBook) userBooks;
        mapping(uint256 traderId => address) traders;
        // ---- mark (one slot)
        uint64 markPrice; // last computed mark
        uint64 markAnchor; // mark at the start of `markBlock`
        uint64 markBlock;
        uint64 lastPushedMark;
        uint64 indexPrice; // optional, pushed by the vault's SETTLEMENT_ROLE
        uint64 indexUpdatedAt;
        // ---- liquidation
        uint128 lastCheckedIndex;
        uint128 makerRewardPending; // maker share escrowed in the vault, not yet settled (same slot: warm in pokes)
        uint16 maxPage;
        uint16 maxUsersPerTx;
        uint16 maxLevels;
        uint16 maxAdlPerTx;
        address rewardKeeper;
        // ---- deferred liquidator rewards (escrowed in the vault with the maker pool)
        mapping(address liquidator => uint256) liquidatorRewardOwed; // claimable by the keeper
    }

    function load() internal pure returns (Layout storage s) {
        bytes32 slot = SLOT;
        assembly {
            s.slot := slot
        }
    }

    /// @notice The wiring slot in one read: the vault and the lot size.
    function wiring(Layout storage s) internal view returns (address vault, uint256 lotSize) {
        uint256 w;
        assembly {
            w := sload(s.slot)
        }
        return (address(uint160(w)), w >> 160);
    }

    /// @notice Public id of the order with sequence `seq` in slot `handle`.
    function orderId(uint256 seq, uint256 handle) internal pure returns (uint256) {
        return (seq << HANDLE_BITS) | handle;
    }
}

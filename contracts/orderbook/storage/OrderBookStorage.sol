// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OrderBookStorage
/// @notice The one ERC-7201 namespace shared by every order-book facet. Append-only: retired fields
/// become `__unused_n`, never removed or reordered.
/// @dev Prices are stored as ticks (`price = tick * tickSize`, tick 0 = "none"); sizes are 18
/// decimals and fit uint96 (7.9e10 whole units). Hot data is packed so one taker fill touches
/// few slots: an order is two slots, a price level one, the book header one.
library OrderBookStorage {
    /// @dev keccak256(abi.encode(uint256(keccak256("dexetra.orderbook")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x2ac1717e228daef9b0fc2626a0a57dc9f200810e7d05fe220fc5e82c96821000;

    uint8 internal constant FLAG_BUY = 1;
    uint8 internal constant FLAG_REDUCE_ONLY = 2;

    /// @notice A resting order: slot 0 = trader + remaining size, slot 1 = tick, level queue links,
    /// the trader's own order list links and flags.
    struct Order {
        address trader;
        uint96 amount;
        uint24 tick;
        uint48 prev;
        uint48 next;
        uint48 userPrev;
        uint48 userNext;
        uint8 flags;
    }

    /// @notice One price level of one side: FIFO queue ends and the resting total (one slot).
    struct Level {
        uint48 head;
        uint48 tail;
        uint128 total;
        uint32 count;
    }

    /// @notice Three-level bitmap over uint24 ticks: `root` bit i = word group i non-empty,
    /// `mid[i]` bit j = leaf word (i<<8|j) non-empty, `leaf[w]` bit k = tick (w<<8|k) has a level.
    struct Bitmap {
        uint256 root;
        mapping(uint256 group => uint256) mid;
        mapping(uint256 word => uint256) leaf;
    }

    /// @notice A trader's own open orders: doubly linked list head and count (one slot).
    struct UserBook {
        uint48 head;
        uint32 count;
    }

    /// @notice Market parameters fixed at init, owner-adjustable within bounds.
    struct MarketParams {
        uint64 tickSize; // USDC 6 decimals
        uint96 lotSize; // 18 decimals
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
        // ---- wiring (slot: vault + flags)
        address vault;
        bool initialized;
        bytes32 marketId;
        address feeRecipient;
        MarketParams params;
        // ---- book header (one slot, touched by every order)
        uint48 nextOrderId;
        uint24 bestBid;
        uint24 bestAsk;
        uint48 activeOrders;
        uint64 lastTradePrice;
        mapping(uint256 orderId => Order) orders;
        mapping(uint256 tick => Level) bidLevels;
        mapping(uint256 tick => Level) askLevels;
        Bitmap bidMap;
        Bitmap askMap;
        mapping(address trader => UserBook) userBooks;
        uint32 maxOrdersPerUser;
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
}

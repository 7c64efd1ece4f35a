// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IFuturesMarketFactory
/// @notice Creates one OrderBook diamond per market from the current standard facet set and wires
/// it into CoreVault in the same transaction; enumerates every market it created on chain.
/// @dev Roles: DEFAULT_ADMIN_ROLE (facet registry, vault pointer, book defaults, upgrades),
/// MARKET_CREATOR_ROLE (createFuturesMarket). On the vault the factory needs FACTORY_ROLE
/// (register, which also grants the book ORDERBOOK_ROLE; assign; market margin) and SETTLEMENT_ROLE
/// (the start mark).
interface IFuturesMarketFactory {
    /// @notice What a market creator chooses. Units: prices USDC 6 decimals, sizes 18 decimals.
    struct MarketConfig {
        string symbol; // 1..32 bytes, unique per factory
        uint256 tickSize; // price step (6 decimals)
        uint256 lotSize; // size step (18 decimals)
        uint256 minNotional; // USDC (6 decimals)
        uint256 maxLeverage; // 1..100; initial margin = 10,000 / maxLeverage bps
        uint256 makerFeeBps; // <= takerFeeBps
        uint256 takerFeeBps; // <= 100
        uint256 startPrice; // first mark (6 decimals), a multiple of tickSize
    }

    /// @notice Book settings every new market starts with (owner-tunable later on each book).
    struct BookDefaults {
        uint256 maxFillsPerTaker;
        uint256 defaultSlippageBps;
        uint256 markClampBps;
        uint256 liqPriceBoundBps;
        uint256 liqNotionalCap;
    }

    /// @notice One facet of the standard set and the selectors it serves.
    struct FacetEntry {
        address facet;
        bytes4[] selectors;
    }

    event FuturesMarketCreated(
        bytes32 indexed marketId,
        address indexed orderBook,
        string symbol,
        uint256 maxLeverage,
        uint256 startPrice,
        address vault,
        uint256 index
    );
    event FacetRegistrySet(uint256 facets, uint256 selectors, address orderBookInit);
    event VaultSet(address indexed previousVault, address indexed newVault);
    event BookOwnerSet(address indexed previousOwner, address indexed newOwner);
    event FeeRecipientSet(address indexed previousRecipient, address indexed newRecipient);
    event BookDefaultsSet(BookDefaults defaults);

    error ZeroAddress();
    error NoFacets();
    error FacetWithoutSelectors(address facet);
    error InvalidSymbol(string symbol);
    error MarketExists(string symbol, bytes32 marketId);
    error ParamOutOfRange(bytes32 name, uint256 value, uint256 min, uint256 max);
    error StartPriceOffTick(uint256 startPrice, uint256 tickSize);

    /// @notice MARKET_CREATOR_ROLE: deploy a diamond with the registered facets, run obInitialize,
    /// register it on the vault, assign the market, set its margin, grant ORDERBOOK_ROLE and set
    /// the start mark, all in this transaction. `marketId = marketIdFor(symbol)`.
    function createFuturesMarket(MarketConfig calldata config) external returns (bytes32 marketId, address orderBook);

    /// @notice DEFAULT_ADMIN_ROLE: replace the standard facet set and initializer used by new markets.
    function setFacetRegistry(FacetEntry[] calldata facets, address orderBookInit) external;

    /// @notice DEFAULT_ADMIN_ROLE: point future markets at another CoreVault.
    function setVault(address newVault) external;

    /// @notice DEFAULT_ADMIN_ROLE: the ERC-173 owner given to new books (a multisig).
    function setBookOwner(address newOwner) external;

    /// @notice DEFAULT_ADMIN_ROLE: the fee recipient given to new books.
    function setFeeRecipient(address newRecipient) external;

    /// @notice DEFAULT_ADMIN_ROLE.
    function setBookDefaults(BookDefaults calldata defaults) external;

    /// @notice Deterministic id: keccak256(abi.encode(block.chainid, factory, keccak256(symbol))).
    function marketIdFor(string calldata symbol) external view returns (bytes32);

    function vault() external view returns (address);
    function bookOwner() external view returns (address);
    function feeRecipient() external view returns (address);
    function orderBookInit() external view returns (address);
    function bookDefaults() external view returns (BookDefaults memory);
    function getFacetRegistry() external view returns (FacetEntry[] memory);
    function getMarketsCount() external view returns (uint256);

    /// @notice Markets in creation order from `offset`, at most 100; past the end: empty arrays.
    function getMarketsPage(
        uint256 offset,
        uint256 limit
    ) external view returns (bytes32[] memory marketIds, address[] memory orderBooks);

    function orderBookOf(bytes32 marketId) external view returns (address);
}

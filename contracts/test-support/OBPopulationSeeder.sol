// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICoreVault} from "../interfaces/ICoreVault.sol";
import {IOBTrading} from "../interfaces/IOBTrading.sol";

/// @title OBSeedTrader
/// @notice A throwaway account that takes one market order in its constructor (runtime code is
/// empty). Used only to build large test populations through the real trade path.
contract OBSeedTrader {
    constructor(IOBTrading book, uint256 amount, bool isBuy) {
        book.placeMarginMarketOrder(amount, isBuy);
    }
}

/// @title OBPopulationSeeder
/// @notice Test chains only (never deploy live): builds N users with a position in a market in
/// one transaction, through the real paths: the vault credits each account with `creditExternal`
/// (the seeder holds EXTERNAL_CREDITOR_ROLE on the test vault), then the account's constructor
/// takes `amount` from the book with a market order, so the vault's per-market index grows exactly
/// as it does for real traders. A resting order on the other side must provide the liquidity.
contract OBPopulationSeeder {
    error NotDeployer(address caller);

    address private immutable _deployer = msg.sender;
    uint256 public seeded;

    function seed(ICoreVault vault, IOBTrading book, uint256 n, uint256 credit, uint256 amount, bool isBuy) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender);
        bytes32 codeHash = keccak256(
            abi.encodePacked(type(OBSeedTrader).creationCode, abi.encode(book, amount, isBuy))
        );
        uint256 start = seeded;
        for (uint256 i; i < n; ++i) {
            bytes32 salt = bytes32(start + i);
            address next = address(
                uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, codeHash))))
            );
            vault.creditExternal(next, credit);
            new OBSeedTrader{salt: salt}(book, amount, isBuy);
        }
        seeded = start + n;
    }
}

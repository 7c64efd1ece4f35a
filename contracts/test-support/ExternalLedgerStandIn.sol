// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice INTERIM stand-in for CoreVault's external-credit ledger until branch `vault` lands;
/// replaced by the real CoreVault behind its proxy as soon as it compiles.
contract ExternalLedgerStandIn {
    mapping(address => bool) public creditor;
    mapping(address => uint256) public externalCreditOf;
    mapping(address => uint256) public lockedOf;
    address internal immutable _admin;

    error NotCreditor(address caller);
    error InsufficientExternalCredit(address user, uint256 requested, uint256 credited);
    error InsufficientFreeCollateral(address user, uint256 requested, uint256 available);

    constructor(address admin) {
        _admin = admin;
    }

    function grant(address who) external {
        if (msg.sender != _admin) revert NotCreditor(msg.sender);
        creditor[who] = true;
    }

    /// @notice Test hook: make `amount` of the user's credit not free.
    function lock(address user, uint256 amount) external {
        lockedOf[user] = amount;
    }

    function creditExternal(address user, uint256 amount) external {
        if (!creditor[msg.sender]) revert NotCreditor(msg.sender);
        externalCreditOf[user] += amount;
    }

    function debitExternal(address user, uint256 amount) external {
        if (!creditor[msg.sender]) revert NotCreditor(msg.sender);
        uint256 c = externalCreditOf[user];
        if (amount > c) revert InsufficientExternalCredit(user, amount, c);
        uint256 free = c - lockedOf[user];
        if (amount > free) revert InsufficientFreeCollateral(user, amount, free);
        externalCreditOf[user] = c - amount;
    }

    function balanceOf(address user) external view returns (uint256) {
        return externalCreditOf[user];
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IMessageVerifier
/// @notice The one seam between Dexetra's collateral contracts and a cross-chain transport. The hub
/// and every spoke ask their verifier whether a message was really sent by its source contract; they
/// never trust the caller that delivers it. A production bridge (Wormhole VAAs, CCTP attestations,
/// Hyperlane ISMs, LayerZero DVNs) plugs in as another adapter implementing this interface, with no
/// change to the hub or the spokes.
/// @dev Pull-style transports (signatures/attestations) check `proof` statelessly. Push-style
/// transports (the bridge calls the adapter) record the digest of each delivered message in the
/// adapter and answer from that record with an empty `proof`. Replay protection is NOT the
/// adapter's job: the receiving contract consumes each (source chain, source contract, nonce) once.
interface IMessageVerifier {
    /// @notice A collateral message between a spoke and the hub. Encoded as EIP-712 typed data:
    /// `Message(uint8 kind,uint64 srcChainId,address srcContract,uint64 dstChainId,address dstContract,uint64 nonce,address user,uint256 amount)`.
    /// @param kind 1 = deposit (spoke -> hub, credit `user`), 2 = withdrawal (hub -> spoke, pay `user`)
    /// @param srcChainId chain id of the sending contract
    /// @param srcContract the SpokeVault (deposits) or CollateralHub (withdrawals) that emitted it
    /// @param dstChainId chain id of the receiving contract
    /// @param dstContract the CollateralHub (deposits) or SpokeVault (withdrawals) that must consume it
    /// @param nonce strictly increasing per source contract; with the source it is the message id
    /// @param user the account credited on the hub or paid on the spoke (same address on both chains)
    /// @param amount USDC, 6 decimals
    struct Message {
        uint8 kind;
        uint64 srcChainId;
        address srcContract;
        uint64 dstChainId;
        address dstContract;
        uint64 nonce;
        address user;
        uint256 amount;
    }

    /// @notice Reverts unless `message` is authenticated by `proof` under this adapter's rules.
    /// @dev View: verification never changes state, so a failed delivery cannot corrupt the adapter.
    function verifyMessage(Message calldata message, bytes calldata proof) external view;
}

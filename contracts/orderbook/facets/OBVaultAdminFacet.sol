// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IOBVaultAdmin} from "../../interfaces/IOBVaultAdmin.sol";
import {OrderBookStorage as S} from "../storage/OrderBookStorage.sol";
import {LibDiamond} from "../libraries/LibDiamond.sol";
import {LibConfig} from "../libraries/LibConfig.sol";

/// @title OBVaultAdminFacet
/// @notice Owner-only wiring and bounded parameters; the index price from the vault's settlers.
contract OBVaultAdminFacet is IOBVaultAdmin {
    bytes32 private constant SETTLEMENT_ROLE = keccak256("SETTLEMENT_ROLE");

    /// @inheritdoc IOBVaultAdmin
    function setVault(address newVault) external {
        LibDiamond.enforceOwner();
        if (newVault == address(0)) revert ZeroAddress();
        S.Layout storage s = S.load();
        address old = s.vault;
        s.vault = newVault;
        s.lastPushedMark = 0; // the new vault has not seen our mark
        emit VaultSet(old, newVault);
    }

    /// @inheritdoc IOBVaultAdmin
    function setFeeRecipient(address newRecipient) external {
        LibDiamond.enforceOwner();
        if (newRecipient == address(0)) revert ZeroAddress();
        S.Layout storage s = S.load();
        address old = s.feeRecipient;
        s.feeRecipient = newRecipient;
        emit FeeRecipientSet(old, newRecipient);
    }

    /// @inheritdoc IOBVaultAdmin
    function setTradingParams(
        uint256 makerFeeBps,
        uint256 takerFeeBps,
        uint256 marginBps,
        uint256 maxFillsPerTaker,
        uint256 defaultSlippageBps,
        uint256 minNotional
    ) external {
        LibDiamond.enforceOwner();
        LibConfig.setTrading(
            S.load(),
            makerFeeBps,
            takerFeeBps,
            marginBps,
            maxFillsPerTaker,
            defaultSlippageBps,
            minNotional
        );
    }

    /// @inheritdoc IOBVaultAdmin
    function setLiquidationConfig(
        uint256 maxPage,
        uint256 maxUsersPerTx,
        uint256 maxLevels,
        uint256 maxAdlPerTx,
        uint256 liqPriceBoundBps,
        uint256 liqNotionalCap
    ) external {
        LibDiamond.enforceOwner();
        LibConfig.setLiquidation(
            S.load(),
            maxPage,
            maxUsersPerTx,
            maxLevels,
            maxAdlPerTx,
            liqPriceBoundBps,
            liqNotionalCap
        );
    }

    /// @inheritdoc IOBVaultAdmin
    function setMarkParams(uint256 markClampBps, uint256 indexMaxAge) external {
        LibDiamond.enforceOwner();
        LibConfig.setMark(S.load(), markClampBps, indexMaxAge);
    }

    /// @inheritdoc IOBVaultAdmin
    function setRewardKeeper(address keeper) external {
        LibDiamond.enforceOwner();
        S.Layout storage s = S.load();
        address old = s.rewardKeeper;
        s.rewardKeeper = keeper;
        emit RewardKeeperSet(old, keeper);
    }

    /// @inheritdoc IOBVaultAdmin
    function setIndexPrice(uint256 price) external {
        S.Layout storage s = S.load();
        if (!IAccessControl(s.vault).hasRole(SETTLEMENT_ROLE, msg.sender)) revert NotSettlementRole(msg.sender);
        LibConfig.check("indexPrice", price, 1, type(uint64).max);
        s.indexPrice = uint64(price);
        s.indexUpdatedAt = uint64(block.timestamp);
        emit IndexPriceSet(price, msg.sender);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {HubFixture} from "./HubFixture.sol";
import {IMessageVerifier} from "../../../contracts/interfaces/IMessageVerifier.sol";
import {ICollateralErrors} from "../../../contracts/interfaces/ICollateralErrors.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice The shape of a push-style bridge adapter (Hyperlane/LayerZero-like): the bridge endpoint
/// calls `deliver` with the message it authenticated, the adapter records its digest, and
/// `verifyMessage` answers from that record with an empty proof. Test-only: it shows the seam.
contract PushStyleVerifier is IMessageVerifier {
    address public immutable endpoint;
    mapping(bytes32 digest => bool) public delivered;

    error NotEndpoint(address caller);
    error NotDelivered(bytes32 digest);

    constructor(address endpoint_) {
        endpoint = endpoint_;
    }

    function deliver(Message calldata m) external {
        if (msg.sender != endpoint) revert NotEndpoint(msg.sender);
        delivered[keccak256(abi.encode(m))] = true;
    }

    function verifyMessage(Message calldata m, bytes calldata) external view {
        bytes32 d = keccak256(abi.encode(m));
        if (!delivered[d]) revert NotDelivered(d);
    }
}

contract AdapterSwapTest is HubFixture {
    address internal constant ENDPOINT = address(0xE4D);
    PushStyleVerifier internal push;

    function setUp() public {
        _setUpHub();
        push = new PushStyleVerifier(ENDPOINT);
    }

    function test_setVerifier_swapsTransportWithoutTouchingHubLogic() public {
        _credit(user, 10e6); // threshold signatures
        vm.expectEmit(true, true, false, false, address(hub));
        emit ICollateralErrors.VerifierSet(address(verifier), address(push));
        vm.prank(admin);
        hub.setVerifier(push);

        IMessageVerifier.Message memory m = _deposit(user, 5e6);
        bytes memory sigs = _sign(verifier, m, _keys(PK1, PK2));
        vm.expectRevert(abi.encodeWithSelector(PushStyleVerifier.NotDelivered.selector, keccak256(abi.encode(m))));
        hub.receiveDeposit(m, sigs); // the old transport's proof means nothing now

        vm.prank(ENDPOINT);
        push.deliver(m);
        hub.receiveDeposit(m, "");
        assertEq(vault.externalCreditOf(user), 15e6, "credited through the new adapter");

        // replay protection stays in the hub, whatever the adapter says
        vm.expectRevert();
        hub.receiveDeposit(m, "");
    }

    function test_RevertWhen_setVerifier_zero() public {
        vm.prank(admin);
        vm.expectRevert(ICollateralErrors.ZeroAddress.selector);
        hub.setVerifier(IMessageVerifier(address(0)));
    }

    function test_RevertWhen_setVerifier_byOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operatorAcct, bytes32(0))
        );
        vm.prank(operatorAcct);
        hub.setVerifier(push);
    }
}

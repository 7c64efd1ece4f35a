// The slice of the hub, spoke and verifier ABIs the relayer needs (events it watches, calls it
// makes, errors it classifies). Human-readable so the relayer runs without build artifacts.
import { parseAbi } from "viem";

const message =
  "struct Message { uint8 kind; uint64 srcChainId; address srcContract; uint64 dstChainId; address dstContract; uint64 nonce; address user; uint256 amount; }";

export const collateralErrorsAbi = parseAbi([
  "error ZeroAddress()",
  "error ZeroAmount()",
  "error InvalidLimits(uint256 maxPerMessage, uint256 maxPerPeriod, uint256 period)",
  "error AmountAboveMessageLimit(uint256 amount, uint256 maxPerMessage)",
  "error PeriodLimitExceeded(uint256 amount, uint256 usedInPeriod, uint256 maxPerPeriod)",
  "error WrongMessageKind(uint8 kind, uint8 expected)",
  "error WrongDestination(uint64 dstChainId, address dstContract)",
  "error UnknownSource(uint64 srcChainId, address srcContract)",
  "error MessageAlreadyProcessed(bytes32 messageId, uint64 srcChainId, address srcContract, uint64 nonce)",
  "error SpokeNotEnabled(uint64 chainId)",
  "error EnforcedPause()",
  "error ThresholdTooLow(uint256 threshold, uint256 minimum)",
  "error MalformedProof(uint256 length)",
  "error NotEnoughSignatures(uint256 provided, uint256 threshold)",
  "error InvalidSignature(uint256 index)",
  "error SignersNotAscending(uint256 index, address signer, address previous)",
  "error UnknownSigner(uint256 index, address signer)",
  "error InsufficientExternalCredit(address user, uint256 requested, uint256 credited)",
  "error InsufficientFreeCollateral(address user, uint256 requested, uint256 available)",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
]);

export const hubAbi = parseAbi([
  message,
  "event WithdrawalRequested(bytes32 indexed messageId, address indexed user, uint64 indexed dstChainId, uint256 amount, address vault, Message message)",
  "event DepositCredited(bytes32 indexed messageId, address indexed user, uint64 indexed srcChainId, address spoke, uint64 nonce, uint256 amount, address vault)",
  "function receiveDeposit(Message message, bytes proof)",
  "function isProcessed(bytes32 messageId) view returns (bool)",
  "function verifier() view returns (address)",
]);

export const spokeAbi = parseAbi([
  message,
  "event DepositSent(bytes32 indexed messageId, address indexed user, uint64 indexed nonce, uint256 amount, Message message)",
  "event WithdrawalReleased(bytes32 indexed messageId, address indexed user, uint64 indexed nonce, uint256 amount)",
  "function receiveWithdrawal(Message message, bytes proof)",
  "function isProcessed(bytes32 messageId) view returns (bool)",
  "function verifier() view returns (address)",
]);

export const verifierAbi = parseAbi([
  message,
  "function verifyMessage(Message message, bytes proof) view",
  "function threshold() view returns (uint256)",
  "function signers() view returns (address[])",
  "function messageDigest(Message message) view returns (bytes32)",
]);

"""The interface between the governance app and a chain.

A backend signs with its own key, sends raw transactions and reads receipts and contract
state. Every backend talks to a real EVM; none reports success without doing the work.
Network trouble is raised as ``ChainUnavailable`` so the outbox retries later.

web3 is imported only when a backend is used (in the task worker and commands), never when
this module is: importing it pulls in py_ecc, which raises Python's recursion limit to 100,000
for the whole process, and the web process must keep the default so that deeply nested input
ends in a RecursionError rather than a C stack overflow (see ``blocks.depth``).
"""

import time
from dataclasses import dataclass
from functools import cache

import requests


class ChainError(Exception):
    pass


class ChainUnavailable(ChainError):
    """The node cannot be reached or did not answer; try again later."""


class DeploymentRejected(ChainError):
    """The chain refuses the deployment itself (it would revert): retrying will not help."""


class NonceRejected(ChainError):
    """The node refused a transaction for its nonce (used already, or replaced): sign anew."""


# How nodes (geth, anvil, eth-tester) say a nonce cannot be used.
_NONCE_ERRORS = ("nonce too low", "nonce too high", "invalid nonce", "replacement transaction underpriced", "already used")


@dataclass(frozen=True)
class SignedDeployment:
    raw_transaction: str
    tx_hash: str
    nonce: int
    sender: str
    chain_id: int


@dataclass(frozen=True)
class Receipt:
    tx_hash: str
    succeeded: bool
    contract_address: str
    block_number: int
    gas_used: int


@cache
def _network_errors():
    from web3.exceptions import ProviderConnectionError

    return (
        requests.exceptions.RequestException,
        ProviderConnectionError,
        ConnectionError,
        TimeoutError,
    )


class ChainBackend:
    """A chain reached through web3.py; subclasses say how to connect and which key signs."""

    def rejection_errors(self):
        """Errors meaning "this transaction would revert" when estimating gas."""
        from web3.exceptions import ContractLogicError

        return (ContractLogicError,)

    def __init__(self, options):
        self.options = dict(options or {})
        self._web3 = None
        self._account = None

    # --- what subclasses provide -----------------------------------------------------

    def make_web3(self):
        """A ``web3.Web3`` connected to the chain."""
        raise NotImplementedError

    def private_key(self):
        raise NotImplementedError

    # --- shared implementation --------------------------------------------------------

    @property
    def web3(self):
        if self._web3 is None:
            self._web3 = self.make_web3()
        return self._web3

    @property
    def account(self):
        if self._account is None:
            self._account = self.web3.eth.account.from_key(self.private_key())
        return self._account

    def _call(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except _network_errors() as error:
            raise ChainUnavailable(f"{type(error).__name__}: {error}") from error

    @property
    def sender(self):
        return self.account.address

    def chain_id(self):
        return self._call(lambda: self.web3.eth.chain_id)

    def signing_chain_id(self):
        """The chain id to sign for; a backend bound to one chain refuses any other."""
        return self.chain_id()

    def transaction_count(self, address, block="latest"):
        return self._call(self.web3.eth.get_transaction_count, address, block)

    def sign_deployment(self, abi, bytecode, args):
        """Build and sign a contract creation at the sender's next nonce. Nothing is sent."""

        def build():
            contract = self.web3.eth.contract(abi=abi, bytecode=bytecode)
            nonce = self.web3.eth.get_transaction_count(self.sender, "pending")
            tx = contract.constructor(*args).build_transaction(
                {"from": self.sender, "nonce": nonce, "chainId": self.web3.eth.chain_id}
            )
            return tx

        try:
            tx = self._call(build)
        except self.rejection_errors() as error:
            raise DeploymentRejected(f"the constructor reverts: {error}") from error
        signed = self.account.sign_transaction(tx)
        return SignedDeployment(
            raw_transaction="0x" + bytes(signed.raw_transaction).hex(),
            tx_hash="0x" + bytes(signed.hash).hex(),
            nonce=tx["nonce"],
            sender=self.sender,
            chain_id=tx["chainId"],
        )

    def send_raw_transaction(self, raw_transaction):
        """Broadcast; sending a transaction the node already has is not an error."""
        from web3.exceptions import Web3RPCError

        try:
            self._call(self.web3.eth.send_raw_transaction, raw_transaction)
        except (Web3RPCError, ValueError) as error:
            message = str(error).lower()
            if "already known" in message or "already imported" in message:
                return
            if any(words in message for words in _NONCE_ERRORS):
                raise NonceRejected(str(error)) from error
            raise

    def block_number(self):
        return self._call(lambda: self.web3.eth.block_number)

    def get_receipt(self, tx_hash):
        from web3.exceptions import TransactionNotFound

        try:
            receipt = self._call(self.web3.eth.get_transaction_receipt, tx_hash)
        except TransactionNotFound:
            return None
        if receipt is None or receipt.get("blockNumber") is None:
            return None
        return Receipt(
            tx_hash=tx_hash,
            succeeded=receipt["status"] == 1,
            contract_address=receipt.get("contractAddress") or "",
            block_number=receipt["blockNumber"],
            gas_used=receipt["gasUsed"],
        )

    def wait_for_receipt(self, tx_hash, timeout, poll=0.2):
        deadline = time.monotonic() + timeout
        while True:
            receipt = self.get_receipt(tx_hash)
            if receipt is not None or time.monotonic() >= deadline:
                return receipt
            time.sleep(poll)

    def get_code(self, address):
        from web3 import Web3

        return bytes(self._call(self.web3.eth.get_code, Web3.to_checksum_address(address)))

    def read_contract(self, address, abi, names):
        """Call view functions without arguments; returns {name: value}."""
        from web3 import Web3
        from web3.exceptions import TimeExhausted

        contract = self.web3.eth.contract(address=Web3.to_checksum_address(address), abi=abi)
        try:
            return {name: self._call(getattr(contract.functions, name)().call) for name in names}
        except TimeExhausted as error:
            raise ChainUnavailable(str(error)) from error

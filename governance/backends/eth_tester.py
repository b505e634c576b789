"""An EVM inside this process (eth-tester with py-evm): the default, and the test chain.

The chain lives as long as the backend object (one per process, see ``get_backend``); it
mines a block per transaction. Its first pre-funded test account signs.
"""

from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.exceptions import TransactionFailed
from web3 import EthereumTesterProvider, Web3
from web3.exceptions import ContractLogicError

from .base import ChainBackend


class EthTesterBackend(ChainBackend):
    def rejection_errors(self):
        return (ContractLogicError, TransactionFailed)

    def make_web3(self):
        self.evm = PyEVMBackend()
        self.tester = EthereumTester(self.evm)
        return Web3(EthereumTesterProvider(self.tester))

    def private_key(self):
        self.web3  # noqa: B018 - creates the chain and its accounts
        return self.evm.account_keys[self.options.get("ACCOUNT_INDEX", 0)]

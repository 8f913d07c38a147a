//! What the test runtimes of the other LLM-Net pallets share about staking: one
//! `pallet_llmnet_staking::Config` for a runtime with `u64` accounts and blocks, `u128`
//! balances, `Balances` as the currency and root for the privileged origins.
//!
//! ```ignore
//! pallet_llmnet_staking::impl_test_config!(Test);
//! // or with another bound on the nodes of a domain:
//! pallet_llmnet_staking::impl_test_config!(Test, max_nodes_per_domain = 16);
//! ```
//! Bonds: providers 100, validators 200, delegations 10; unbonding 10 blocks, commission
//! changes after 5, at most 50 %; capability required.

use frame::{arithmetic::Perbill, prelude::*, runtime::prelude::*};

parameter_types! {
	/// The pool-account derivation of the test runtimes.
	pub const TestPalletId: PalletId = PalletId(*b"llm/stak");
	/// The commission ceiling of the test runtimes.
	pub const TestMaxCommission: Perbill = Perbill::from_percent(50);
}

/// `impl pallet_llmnet_staking::Config for $runtime` with the shared test values (see the
/// module docs); `Balances` and `RuntimeHoldReason` must be in scope.
#[macro_export]
macro_rules! impl_test_config {
	($runtime:ty) => {
		$crate::impl_test_config!($runtime, max_nodes_per_domain = 64);
	};
	($runtime:ty, max_nodes_per_domain = $n:literal) => {
		impl $crate::Config for $runtime {
			type Currency = Balances;
			type RuntimeHoldReason = RuntimeHoldReason;
			type OnSlash = ();
			type PalletId = $crate::testing::TestPalletId;
			type DomainOrigin = frame::deps::frame_system::EnsureRoot<u64>;
			type CapabilityOrigin = frame::deps::frame_system::EnsureRoot<u64>;
			type MaxDomains = frame::deps::frame_support::traits::ConstU32<8>;
			type MaxDomainNameLen = frame::deps::frame_support::traits::ConstU32<16>;
			type MaxDomainsPerNode = frame::deps::frame_support::traits::ConstU32<3>;
			type MaxNodesPerDomain = frame::deps::frame_support::traits::ConstU32<$n>;
			type MaxModelLen = frame::deps::frame_support::traits::ConstU32<16>;
			type MaxDescriptionLen = frame::deps::frame_support::traits::ConstU32<32>;
			type MinProviderBond = frame::deps::frame_support::traits::ConstU128<100>;
			type MinValidatorBond = frame::deps::frame_support::traits::ConstU128<200>;
			type MinDelegation = frame::deps::frame_support::traits::ConstU128<10>;
			type MaxDelegationsPerDelegator = frame::deps::frame_support::traits::ConstU32<2>;
			type MaxUnlockChunks = frame::deps::frame_support::traits::ConstU32<3>;
			type UnbondingPeriod = frame::deps::frame_support::traits::ConstU64<10>;
			type MaxCommission = $crate::testing::TestMaxCommission;
			type CommissionChangeDelay = frame::deps::frame_support::traits::ConstU64<5>;
			type RequireCapability = frame::deps::frame_support::traits::ConstBool<true>;
			type CapabilityValidity = frame::deps::frame_support::traits::ConstU64<10_000_000>;
			type RewardVesting = frame::deps::frame_support::traits::ConstU64<0>;
			type WeightInfo = ();
		}
	};
}

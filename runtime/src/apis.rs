//! Runtime API implementations: the Substrate and Cumulus APIs a node needs, and the LLM-Net
//! APIs front ends call through `state_call` (polkadot.js `api.call.*`).

use alloc::vec::Vec;
use polkadot_sdk::*;

use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_aura::Authorities;
use pallet_llmnet_query_contracts::{
	runtime_api::{QueryView, WorkItem},
	QueryId,
};
use pallet_llmnet_reputation::{
	runtime_api::{FeedbackView, ReputationView},
	ReputationKind,
};
use pallet_llmnet_staking::{
	runtime_api::{DelegationView, DomainView, NodeView, UnbondingView},
	DomainId,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Balance, Block, BlockNumber, ConsensusHook, Executive, InherentDataExt,
	LlmnetQueryContracts, LlmnetReputation, LlmnetStaking, LlmnetValidation, Nonce,
	ParachainSystem, Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys, System,
	TransactionPayment, SLOT_DURATION, VERSION,
};

impl_runtime_apis! {
	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(SLOT_DURATION)
		}

		fn authorities() -> Vec<AuraId> {
			Authorities::<Runtime>::get().into_inner()
		}
	}

	impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
		fn can_build_upon(
			included_hash: <Block as BlockT>::Hash,
			slot: cumulus_primitives_aura::Slot,
		) -> bool {
			ConsensusHook::can_build_upon(included_hash, slot)
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
		fn collect_collation_info(header: &<Block as BlockT>::Header) -> cumulus_primitives_core::CollationInfo {
			ParachainSystem::collect_collation_info(header)
		}
	}

	impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
		fn parachain_id() -> cumulus_primitives_core::ParaId {
			super::ParachainInfo::parachain_id()
		}
	}

	impl pallet_llmnet_staking::runtime_api::LlmnetStakingApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn domains() -> Vec<DomainView> {
			LlmnetStaking::domain_views()
		}

		fn node(who: AccountId) -> Option<NodeView<AccountId, Balance, BlockNumber>> {
			LlmnetStaking::node_view(who)
		}

		fn nodes_in_domain(domain: DomainId, offset: u32, limit: u32) -> Vec<NodeView<AccountId, Balance, BlockNumber>> {
			LlmnetStaking::nodes_in_domain(domain, offset, limit)
		}

		fn delegations_of(delegator: AccountId) -> Vec<DelegationView<AccountId, Balance>> {
			LlmnetStaking::delegation_views(delegator)
		}

		fn unbonding_of(who: AccountId) -> Vec<UnbondingView<AccountId, Balance, BlockNumber>> {
			LlmnetStaking::unbonding_views(who)
		}
	}

	impl pallet_llmnet_reputation::runtime_api::LlmnetReputationApi<Block, AccountId, BlockNumber> for Runtime {
		fn reputation(who: AccountId, domain: DomainId, kind: ReputationKind) -> ReputationView<BlockNumber> {
			LlmnetReputation::reputation_view(who, domain, kind)
		}

		fn recent_feedback(who: AccountId) -> Vec<FeedbackView<AccountId, BlockNumber>> {
			LlmnetReputation::feedback_views(who)
		}

		fn leaderboard(domain: DomainId, kind: ReputationKind, offset: u32, limit: u32) -> Vec<(AccountId, ReputationView<BlockNumber>)> {
			LlmnetReputation::leaderboard(domain, kind, offset, limit)
		}
	}

	impl pallet_llmnet_query_contracts::runtime_api::LlmnetQueryApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn query(id: QueryId) -> Option<QueryView<AccountId, Balance, BlockNumber>> {
			LlmnetQueryContracts::query_view(id)
		}

		fn pending_work(who: AccountId) -> Vec<WorkItem<BlockNumber>> {
			LlmnetQueryContracts::pending_work(who)
		}

		fn queries_of(requester: AccountId, offset: u32, limit: u32) -> Vec<QueryId> {
			LlmnetQueryContracts::queries_of(requester, offset, limit)
		}

		fn commitment(id: QueryId, who: AccountId, answer: Vec<u8>, salt: [u8; 32]) -> sp_core::H256 {
			LlmnetQueryContracts::commitment_of(id, &who, &answer, &salt)
		}

		fn judgement_commitment(
			id: QueryId,
			who: AccountId,
			comparisons: Vec<(u8, u8, pallet_llmnet_query_contracts::PairOutcome, Vec<u8>)>,
			feedback: Vec<(AccountId, Vec<u8>)>,
			salt: [u8; 32],
		) -> Option<sp_core::H256> {
			LlmnetQueryContracts::judgement_commitment_view(id, who, comparisons, feedback, salt)
		}

		fn validation_commitment(
			id: QueryId,
			who: AccountId,
			score: sp_runtime::Percent,
			note: Vec<u8>,
			salt: [u8; 32],
		) -> sp_core::H256 {
			LlmnetQueryContracts::validation_commitment_of(id, &who, score, &note, &salt)
		}

		fn terms(
			who: AccountId,
			domain: pallet_llmnet_query_contracts::DomainId,
		) -> pallet_llmnet_query_contracts::TermsView<Balance, BlockNumber> {
			LlmnetQueryContracts::terms_view(who, domain)
		}

		fn quote(
			requester: AccountId,
			domain: pallet_llmnet_query_contracts::DomainId,
			params: pallet_llmnet_query_contracts::QueryParams<AccountId, BlockNumber>,
			budget: Balance,
		) -> Result<pallet_llmnet_query_contracts::Quote<AccountId, Balance>, sp_runtime::DispatchError> {
			LlmnetQueryContracts::quote(requester, domain, params, budget)
		}
	}

	impl pallet_llmnet_validation::runtime_api::LlmnetValidationApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn task(id: pallet_llmnet_validation::TaskId) -> Option<pallet_llmnet_validation::runtime_api::TaskView<AccountId, Balance, BlockNumber>> {
			LlmnetValidation::task_view(id)
		}

		fn open_tasks(from: pallet_llmnet_validation::TaskId, limit: u32) -> Vec<pallet_llmnet_validation::TaskId> {
			LlmnetValidation::open_tasks(from, limit)
		}

		fn task_work(
			who: AccountId,
		) -> Vec<(pallet_llmnet_validation::TaskId, pallet_llmnet_validation::RoundIndex, pallet_llmnet_validation::ScoreAction)> {
			LlmnetValidation::task_work(&who)
		}

		fn score_commitment(
			task: pallet_llmnet_validation::TaskId,
			round: pallet_llmnet_validation::RoundIndex,
			who: AccountId,
			scores: Vec<sp_runtime::Perbill>,
			salt: [u8; 32],
		) -> sp_core::H256 {
			LlmnetValidation::commitment_of(task, round, &who, &scores, &salt)
		}

		fn eval_commitment(eval_set: Vec<u8>, salt: [u8; 32]) -> sp_core::H256 {
			LlmnetValidation::eval_commitment_of(&eval_set, &salt)
		}

		fn calibration(
			id: pallet_llmnet_validation::CalibrationId,
		) -> Option<pallet_llmnet_validation::runtime_api::CalibrationView<AccountId, Balance, BlockNumber>> {
			LlmnetValidation::calibration_view(id)
		}

		fn open_calibrations() -> Vec<pallet_llmnet_validation::CalibrationId> {
			pallet_llmnet_validation::OpenCalibrations::<Runtime>::get().into_inner()
		}

		fn calibration_work(
			who: AccountId,
		) -> Vec<(pallet_llmnet_validation::CalibrationId, pallet_llmnet_validation::CalibrationAction)> {
			LlmnetValidation::calibration_work(&who)
		}

		fn calibration_commitment(
			id: pallet_llmnet_validation::CalibrationId,
			who: AccountId,
			answers: Vec<Vec<u8>>,
			salt: [u8; 32],
		) -> sp_core::H256 {
			LlmnetValidation::calibration_commitment_of(id, &who, &answers, &salt)
		}

		fn key_commitment(key: Vec<Vec<u8>>, salt: [u8; 32]) -> sp_core::H256 {
			LlmnetValidation::key_commitment_of(&key, &salt)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			use super::configs::RuntimeBlockWeights;
			// try-runtime is a tool, not consensus code: failing loudly is the point.
			#[allow(clippy::unwrap_used)]
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			#[allow(clippy::unwrap_used)]
			Executive::try_execute_block(block, state_root_check, signature_check, select).unwrap()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use cumulus_pallet_session_benchmarking::Pallet as SessionBench;
			use pallet_xcm::benchmarking::Pallet as PalletXcmExtrinsicsBenchmark;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{BenchmarkError, BenchmarkBatch};
			use super::*;

			use frame_system_benchmarking::Pallet as SystemBench;
			impl frame_system_benchmarking::Config for Runtime {
				fn setup_set_code_requirements(code: &Vec<u8>) -> Result<(), BenchmarkError> {
					ParachainSystem::initialize_for_set_code_benchmark(code.len() as u32);
					Ok(())
				}

				fn verify_set_code() {
					System::assert_last_event(cumulus_pallet_parachain_system::Event::<Runtime>::ValidationFunctionStored.into());
				}
			}

			use cumulus_pallet_session_benchmarking::Pallet as SessionBench;
			impl cumulus_pallet_session_benchmarking::Config for Runtime {
				fn generate_session_keys_and_proof(owner: Self::AccountId) -> (Self::Keys, Vec<u8>) {
					use codec::Encode;
					let keys = SessionKeys::generate(&owner.encode(), None);
					(keys.keys, keys.proof.encode())
				}
			}

			// XCM: messages go to the relay chain (UMP, no delivery fee); LLMN is the only
			// asset the chain transacts. Teleports and reserve transfers are filtered out
			// (`XcmTeleportFilter`, `XcmReserveTransferFilter`: `Nothing`), so their
			// benchmarks have no asset and weigh `Weight::MAX`: such a call never fits a block.
			use pallet_xcm::benchmarking::Pallet as PalletXcmExtrinsicsBenchmark;
			use polkadot_sdk::staging_xcm as xcm;
			impl pallet_xcm::benchmarking::Config for Runtime {
				// No delivery fee (`ParentAsUmp<_, (), ()>`), so nothing to fund: no
				// existential deposit minted to the origin (root's `Here` has no account).
				type DeliveryHelper = cumulus_primitives_utility::ToParentDeliveryHelper<
					configs::xcm_config::XcmConfig,
					frame_support::traits::GetDefault,
					(),
				>;

				fn reachable_dest() -> Option<xcm::latest::Location> {
					Some(xcm::latest::Location::parent())
				}

				fn get_asset() -> xcm::latest::Asset {
					xcm::latest::Asset {
						id: xcm::latest::AssetId(xcm::latest::Location::here()),
						fun: xcm::latest::Fungibility::Fungible(EXISTENTIAL_DEPOSIT),
					}
				}
			}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			if batches.is_empty() { return Err("Benchmark not found for this pallet.".into()) }
			Ok(batches)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}

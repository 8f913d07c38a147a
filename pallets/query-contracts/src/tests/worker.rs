//! The pallet-side off-chain worker with mocked HTTP (`TestOffchainExt`), a keystore holding
//! a provider's `llmn` key and a test transaction pool: a good reply becomes exactly one signed
//! `commit` (with its secret kept for the reveal), the reveal needs no LLM call, and a garbage
//! reply submits nothing.

use crate::{self as pallet_llmnet_query_contracts, offchain, types::*};
use codec::{Decode, Encode};
use frame::{
	arithmetic::{FixedU128, Perbill, Percent},
	deps::{
		frame_support::weights::constants::RocksDbWeight,
		frame_system::GenesisConfig,
		sp_core::{
			offchain::{
				testing::{PendingRequest, TestOffchainExt, TestTransactionPoolExt},
				OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
			},
			sr25519,
		},
		sp_io,
		sp_runtime::{AccountId32, MultiSignature, MultiSigner},
	},
	prelude::*,
	runtime::prelude::*,
	testing_prelude::*,
	traits::{IdentifyAccount, Verify},
};
use llmnet_ocw::{client::request_body_as, crypto::KEY_TYPE, prompts, EndpointConfig, ReplyKind};
use pallet_llmnet_staking::Roles;
use polkadot_sdk::{
	pallet_balances,
	sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt},
};
use std::sync::Arc;

type AccountId = AccountId32;
type Balance = u128;
type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

#[frame_construct_runtime]
mod ocw_runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Staking = pallet_llmnet_staking;
	#[runtime::pallet_index(3)]
	pub type Reputation = pallet_llmnet_reputation;
	#[runtime::pallet_index(4)]
	pub type QueryContracts = pallet_llmnet_query_contracts;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Nonce = u64;
	type AccountId = AccountId;
	type Lookup = frame::deps::sp_runtime::traits::IdentityLookup<AccountId>;
	type Block = frame_system::mocking::MockBlock<Test>;
	type DbWeight = RocksDbWeight;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const MaxQuality: Percent = Percent::from_percent(80);
	pub const Half: Perbill = Perbill::from_percent(50);
	pub const Alpha: Perbill = Perbill::from_percent(80);
	pub BtTolerance: FixedU128 = FixedU128::from_inner(1_000_000_000);
	pub BtPrior: FixedU128 = FixedU128::from_rational(1, 10);
	pub const Small: Perbill = Perbill::from_percent(5);
}

pallet_llmnet_staking::impl_test_config!(Test, max_nodes_per_domain = 16);

impl pallet_llmnet_reputation::Config for Test {
	type Alpha = Alpha;
	type InitialReputation = Half;
	type DecayPeriod = ConstU64<0>;
	type DecayKeep = Half;
	type MaxFeedback = ConstU32<8>;
	type MaxFeedbackLen = ConstU32<64>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type WeightInfo = ();
}

impl pallet_llmnet_query_contracts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Staking;
	type Reputation = Reputation;
	type QueryDeposit = ConstU128<10>;
	type MinBudget = ConstU128<100>;
	type MaxPromptLen = ConstU32<64>;
	type MaxAnswerLen = ConstU32<32>;
	type KeptAnswerLen = ConstU32<8>;
	type MaxJustificationLen = ConstU32<32>;
	type MaxRationaleLen = ConstU32<32>;
	type MaxFeedbackLen = ConstU32<64>;
	type MaxRespondents = ConstU32<4>;
	type MaxExtraJudges = ConstU32<2>;
	type MaxValidators = ConstU32<2>;
	type MaxComparisons = ConstU32<6>;
	type MaxDebateRounds = ConstU32<2>;
	type MinPhaseLength = ConstU64<1>;
	type MaxPhaseLength = ConstU64<100>;
	type MaxBtIterations = ConstU32<32>;
	type BtTolerance = BtTolerance;
	type BtPrior = BtPrior;
	type JudgeWeightFloor = Small;
	type RankRatio = Half;
	type MissedDeadlineSlash = Small;
	type SelectionScan = ConstU32<16>;
	type CommitteeScan = ConstU32<16>;
	type MaxLeaders = ConstU32<4>;
	type StakeSaturation = ConstU128<10_000>;
	type ExplorationBelow = ConstU32<3>;
	type MaxDuePerBlock = ConstU32<4>;
	type MaxReadyPerBlock = ConstU32<4>;
	type DefaultMinPhase = ConstU64<2>;
	type TermsDelay = ConstU64<3>;
	type QueryFee = ConstU128<0>;
	type MaxQualityThreshold = MaxQuality;
	type ObservationFloor = ConstU128<0>;
	type MaxPairObservations = ConstU32<10>;
	type ObservationPeriod = ConstU64<1_000>;
	type MaxRatersPerProvider = ConstU32<8>;
	type OffchainWorker = offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId>;
	type WeightInfo = ();
}

impl frame_system::offchain::SigningTypes for Test {
	type Public = <MultiSignature as Verify>::Signer;
	type Signature = MultiSignature;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<C> frame_system::offchain::CreateSignedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<
		A: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		_public: MultiSigner,
		account: AccountId,
		_nonce: u64,
	) -> Option<Extrinsic> {
		Some(Extrinsic::new_signed(call, account, (), ()))
	}
}

const REQUESTER: [u8; 32] = [100; 32];
const PROMPT: &[u8] = b"What is 6 x 7?";

fn config() -> EndpointConfig {
	EndpointConfig {
		base_url: b"http://llm.local".to_vec(),
		model: b"sim-persona-0.9".to_vec(),
		api_key: Vec::new(),
		timeout_ms: 5_000,
		max_tokens: 64,
		temperature_milli: 0,
	}
}

fn completion(text: &str) -> Vec<u8> {
	serde_json::to_vec(&serde_json::json!({"choices":[{"message":{"content": text}}]})).unwrap()
}

/// A Single query with one respondent, automatic selection after one block, 5-block phases.
fn single() -> QueryParams<AccountId, u64> {
	QueryParams {
		mode: Mode::Single,
		respondents: 1,
		extra_judges: 0,
		validators: 0,
		phases: PhaseLengths {
			selecting: 1,
			committing: 5,
			revealing: 5,
			debating: 5,
			judging: 5,
			validating: 5,
		},
		shares: RewardShares::default(),
		answer_payout: AnswerPayout::Proportional,
		aggregation: Aggregation::BradleyTerry,
		quality_threshold: Percent::zero(),
		coordinator: None,
	}
}

type OffchainState =
	Arc<parking_lot::RwLock<frame::deps::sp_core::offchain::testing::OffchainState>>;
type PoolState = Arc<parking_lot::RwLock<frame::deps::sp_core::offchain::testing::PoolState>>;

/// A chain where `provider` (the key in the keystore) is the only provider of `math`, with
/// its endpoint in offchain storage, and a Single query selecting it, in Committing.
fn setup() -> (TestState, OffchainState, PoolState, AccountId) {
	let (mut ext, offchain_state, pool_state, provider) = chain(&[]);
	ext.execute_with(|| {
		selected_at_block_2(single());
		assert_eq!(crate::Queries::<Test>::get(0).unwrap().phase, Phase::Committing);
	});
	(ext, offchain_state, pool_state, provider)
}

/// Query 0 with `params`, its automatic selection run at block 2.
fn selected_at_block_2(params: QueryParams<AccountId, u64>) {
	assert_ok!(QueryContracts::create_query(
		RuntimeOrigin::signed(AccountId::from(REQUESTER)),
		0,
		PROMPT.to_vec().try_into().unwrap(),
		params,
		1_000
	));
	System::set_block_number(2);
	QueryContracts::on_initialize(2);
}

/// A chain at block 1 where `provider` (the key in the keystore) and `others` are the
/// providers of `math`, with the provider's endpoint in offchain storage.
fn chain(others: &[AccountId]) -> (TestState, OffchainState, PoolState, AccountId) {
	let keystore = MemoryKeystore::new();
	let public = keystore.sr25519_generate_new(KEY_TYPE, Some("//Bob")).unwrap();
	let provider: AccountId = MultiSigner::from(sr25519::Public::from(public)).into_account();
	let requester = AccountId::from(REQUESTER);
	let mut storage = GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances = vec![(provider.clone(), 100_000), (requester.clone(), 100_000)];
	balances.extend(others.iter().map(|o| (o.clone(), 100_000)));
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut nodes = vec![(provider.clone(), Roles::PROVIDER, vec![0], b"m".to_vec(), 1_000)];
	nodes
		.extend(others.iter().map(|o| (o.clone(), Roles::PROVIDER, vec![0], b"m".to_vec(), 1_000)));
	pallet_llmnet_staking::GenesisConfig::<Test> { domains: vec![b"math".to_vec()], nodes }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext: TestState = storage.into();
	let (offchain, offchain_state) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	let who = provider.clone();
	ext.execute_with(|| {
		System::set_block_number(1);
		let key = llmnet_ocw::config::endpoint_key_for(&who.encode());
		sp_io::offchain::local_storage_set(
			frame::deps::sp_core::offchain::StorageKind::PERSISTENT,
			&key,
			&config().encode(),
		);
	});
	(ext, offchain_state, pool_state, provider)
}

fn expect_answer_request(
	state: &parking_lot::RwLock<frame::deps::sp_core::offchain::testing::OffchainState>,
	reply: Vec<u8>,
) {
	expect_request(state, &prompts::answer(b"math", PROMPT), ReplyKind::Answer, reply);
}

/// The worker's next LLM request is `messages` (as `kind`), answered with `reply`.
fn expect_request(
	state: &parking_lot::RwLock<frame::deps::sp_core::offchain::testing::OffchainState>,
	messages: &[llmnet_ocw::Message],
	kind: ReplyKind,
	reply: Vec<u8>,
) {
	let body = request_body_as(&config(), messages, kind).unwrap();
	state.write().expect_request(PendingRequest {
		method: "POST".into(),
		uri: "http://llm.local/v1/chat/completions".into(),
		headers: vec![("Content-Type".into(), "application/json".into())],
		body,
		response: Some(reply),
		sent: true,
		..Default::default()
	});
}

fn submitted_calls(
	pool: &parking_lot::RwLock<frame::deps::sp_core::offchain::testing::PoolState>,
) -> Vec<(AccountId, RuntimeCall)> {
	pool.read()
		.transactions
		.iter()
		.map(|tx| {
			let xt = Extrinsic::decode(&mut &tx[..]).unwrap();
			let signer = match &xt.preamble {
				frame::deps::sp_runtime::generic::Preamble::Signed(who, _, _) => who.clone(),
				_ => panic!("not signed"),
			};
			(signer, xt.function)
		})
		.collect()
}

#[test]
fn a_good_reply_becomes_one_signed_commit_and_the_reveal_needs_no_llm() {
	let (mut ext, offchain, pool, provider) = setup();
	ext.execute_with(|| {
		expect_answer_request(&offchain, completion("FINAL ANSWER: 42"));
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(2);
		let calls = submitted_calls(&pool);
		assert_eq!(calls.len(), 1, "exactly one transaction");
		let seed = offchain.read().seed;
		let want = QueryContracts::commitment_of(0, &provider, b"42", &seed);
		assert_eq!(
			calls[0],
			(
				provider.clone(),
				RuntimeCall::QueryContracts(crate::Call::commit { query: 0, commitment: want })
			)
		);
		// Already submitted: the next run (same block range) sends nothing and calls no LLM.
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(3);
		assert_eq!(submitted_calls(&pool).len(), 1);

		// Include the commit, move to revealing: the reveal comes from the stored secret.
		assert_ok!(QueryContracts::commit(RuntimeOrigin::signed(provider.clone()), 0, want));
		QueryContracts::on_finalize(2);
		System::set_block_number(3);
		QueryContracts::on_initialize(3);
		assert_eq!(crate::Queries::<Test>::get(0).unwrap().phase, Phase::Revealing);
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(3);
		let calls = submitted_calls(&pool);
		assert_eq!(calls.len(), 2);
		assert_eq!(
			calls[1].1,
			RuntimeCall::QueryContracts(crate::Call::reveal {
				query: 0,
				answer: b"42".to_vec().try_into().unwrap(),
				salt: seed
			})
		);
		// The reveal lands: the next run deletes the salt and answer (AUDIT M12).
		let secret_at = offchain::secret_key(0, &provider.encode());
		let stored = || {
			sp_io::offchain::local_storage_get(
				frame::deps::sp_core::offchain::StorageKind::PERSISTENT,
				&secret_at,
			)
		};
		assert!(stored().is_some(), "kept until the reveal is on chain");
		assert_ok!(QueryContracts::reveal(
			RuntimeOrigin::signed(provider.clone()),
			0,
			b"42".to_vec().try_into().unwrap(),
			seed
		));
		System::set_block_number(4);
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(4);
		assert_eq!(stored(), None, "deleted once revealed");
	});
}

#[test]
fn garbage_replies_submit_nothing_and_back_off() {
	for reply in [b"<html>".to_vec(), completion("   "), vec![0xff, 0xfe]] {
		let (mut ext, offchain, pool, _provider) = setup();
		ext.execute_with(|| {
			expect_answer_request(&offchain, reply);
			<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<u64>>::run(2);
			assert!(submitted_calls(&pool).is_empty(), "nothing submitted");
			// Backed off: the next block neither calls the LLM (no request expected) nor submits.
			<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<u64>>::run(3);
			assert!(submitted_calls(&pool).is_empty());
		});
	}
}

/// Issue 18: one worker run sends the work of several queries, each transaction with the next
/// nonce (the signer counts them up in the run's state), instead of one per block.
#[test]
fn one_run_sends_several_queries_work_with_consecutive_nonces() {
	let (mut ext, offchain, pool, provider) = setup();
	ext.execute_with(|| {
		assert_ok!(QueryContracts::create_query(
			RuntimeOrigin::signed(AccountId::from(REQUESTER)),
			0,
			PROMPT.to_vec().try_into().unwrap(),
			single(),
			1_000
		));
		System::set_block_number(3);
		QueryContracts::on_initialize(3);
		assert_eq!(crate::Queries::<Test>::get(1).unwrap().phase, Phase::Committing);
		expect_answer_request(&offchain, completion("FINAL ANSWER: 42"));
		expect_answer_request(&offchain, completion("FINAL ANSWER: 42"));
		let nonce = frame_system::Pallet::<Test>::account_nonce(&provider);
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(3);
		let calls = submitted_calls(&pool);
		let queries: Vec<u64> = calls
			.iter()
			.map(|(who, call)| {
				assert_eq!(who, &provider);
				match call {
					RuntimeCall::QueryContracts(crate::Call::commit { query, .. }) => *query,
					other => panic!("not a commit: {other:?}"),
				}
			})
			.collect();
		assert_eq!(queries, vec![0, 1], "both queries' commits in one run");
		assert_eq!(frame_system::Pallet::<Test>::account_nonce(&provider), nonce + 2);
	});
}

/// The block's phase transitions: `on_finalize` of `n`, then `on_initialize` of `n + 1`.
fn next_block(n: u64) {
	QueryContracts::on_finalize(n);
	System::set_block_number(n + 1);
	QueryContracts::on_initialize(n + 1);
}

/// A drawn extra judge's worker (issue 16): its only work in the query is the judgement it was
/// drawn for; it compares the two candidates in both orders, writes feedback on each
/// respondent, seals it all in one `commit_judgement`, and reveals it from local storage in
/// `RevealingJudgements` without calling the LLM again.
#[test]
fn a_drawn_extra_judge_seals_its_judgement_and_reveals_it_without_the_llm() {
	let others = [AccountId::from([1; 32]), AccountId::from([2; 32])];
	let (mut ext, offchain, pool, judge) = chain(&others);
	ext.execute_with(|| {
		// The keystore's provider prices its answers out: it can only be drawn to judge.
		crate::Terms::<Test>::insert(
			&judge,
			0,
			ProviderTerms { answer: 1_000_000, comparison: 0, validation: 0, min_phase: 2 },
		);
		selected_at_block_2(QueryParams {
			mode: Mode::Swarm,
			respondents: 2,
			extra_judges: 1,
			..single()
		});
		let respondents = crate::Queries::<Test>::get(0).unwrap().respondents.to_vec();
		assert!(!respondents.contains(&judge), "{respondents:?}");
		let answers: Vec<(AccountId, Vec<u8>)> =
			respondents.iter().cloned().zip([b"42".to_vec(), b"41".to_vec()]).collect();
		for (who, answer) in answers.iter() {
			let c = QueryContracts::commitment_of(0, who, answer, &[7; 32]);
			assert_ok!(QueryContracts::commit(RuntimeOrigin::signed(who.clone()), 0, c));
		}
		next_block(2);
		for (who, answer) in answers.iter() {
			let answer = answer.clone().try_into().unwrap();
			assert_ok!(QueryContracts::reveal(
				RuntimeOrigin::signed(who.clone()),
				0,
				answer,
				[7; 32]
			));
		}
		next_block(3);
		assert_eq!(crate::Queries::<Test>::get(0).unwrap().phase, Phase::Judging);
		assert_eq!(crate::ExtraJudges::<Test>::get(0).to_vec(), vec![judge.clone()]);

		// The pair in both orders (candidate 0 is "42"), then feedback on each respondent.
		let c = crate::Candidates::<Test>::get(0);
		let verdict = |v: &str| completion(&format!("JUSTIFICATION: 6 x 7 is 42\nVERDICT: {v}"));
		expect_request(
			&offchain,
			&prompts::judge(PROMPT, &c[0], &c[1]),
			ReplyKind::Verdict,
			verdict("A"),
		);
		expect_request(
			&offchain,
			&prompts::judge(PROMPT, &c[1], &c[0]),
			ReplyKind::Verdict,
			verdict("B"),
		);
		for (_, answer) in answers.iter() {
			let note = if answer == b"42" { "FEEDBACK: Correct." } else { "FEEDBACK: Wrong." };
			let m = prompts::feedback(PROMPT, answer);
			expect_request(&offchain, &m, ReplyKind::Feedback, completion(note));
		}
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(4);
		let calls = submitted_calls(&pool);
		assert_eq!(calls.len(), 1, "one sealed judgement: {calls:?}");
		let commitment = match &calls[0] {
			(
				who,
				RuntimeCall::QueryContracts(crate::Call::commit_judgement { query: 0, commitment }),
			) if who == &judge => *commitment,
			other => panic!("not the judge's commitment: {other:?}"),
		};
		assert_ok!(QueryContracts::commit_judgement(
			RuntimeOrigin::signed(judge.clone()),
			0,
			commitment
		));
		// The respondents hold one candidate each: no pair is theirs to judge; the phase runs
		// to its deadline, then the reveals open.
		let deadline = crate::Queries::<Test>::get(0).unwrap().deadline;
		next_block(4);
		System::set_block_number(deadline);
		QueryContracts::on_initialize(deadline);
		assert_eq!(crate::Queries::<Test>::get(0).unwrap().phase, Phase::RevealingJudgements);

		// The reveal: from local storage, no LLM request (an unexpected one would panic).
		<offchain::Worker<Test, llmnet_ocw::crypto::ProviderAuthId> as offchain::OffchainDriver<
			u64,
		>>::run(deadline);
		let calls = submitted_calls(&pool);
		assert_eq!(calls.len(), 2);
		let RuntimeCall::QueryContracts(crate::Call::judge {
			query: 0,
			comparisons,
			feedback,
			salt,
		}) = &calls[1].1
		else {
			panic!("not a reveal: {:?}", calls[1]);
		};
		let verdicts: Vec<(u8, u8, PairOutcome)> =
			comparisons.iter().map(|c| (c.a, c.b, c.outcome)).collect();
		assert_eq!(verdicts, vec![(0, 1, PairOutcome::A)]);
		assert_eq!(comparisons[0].justification.to_vec(), b"6 x 7 is 42".to_vec());
		let notes: Vec<(AccountId, Vec<u8>)> =
			feedback.iter().map(|f| (f.to.clone(), f.text.to_vec())).collect();
		assert_eq!(
			notes,
			vec![
				(answers[0].0.clone(), b"Correct.".to_vec()),
				(answers[1].0.clone(), b"Wrong.".to_vec())
			]
		);
		assert_eq!(
			QueryContracts::judgement_commitment_of(0, &judge, comparisons, feedback, salt),
			commitment,
			"the reveal opens the commitment"
		);
		assert_ok!(QueryContracts::judge(
			RuntimeOrigin::signed(judge.clone()),
			0,
			comparisons.clone(),
			feedback.clone(),
			*salt
		));
	});
}

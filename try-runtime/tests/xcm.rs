//! The runtime's XCM configuration against AUDIT M15: LLMN is this chain's own asset (`Here`),
//! nothing arriving by XCM mints it, and it cannot be teleported away.
//!
//! Run natively on the runtime (the build of `llmnet-fuzz`):
//! `SKIP_WASM_BUILD=1 cargo test -p llmnet-try-runtime --test xcm`.

use llmnet_runtime::{
	configs::xcm_config::XcmConfig, AccountId, Balance, Balances, BalancesConfig, PolkadotXcm,
	Runtime, RuntimeGenesisConfig, RuntimeOrigin, System, UNIT,
};
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect,
	polkadot_parachain_primitives::primitives::Sibling,
	sp_io,
	sp_runtime::codec::Encode,
	sp_runtime::BuildStorage,
	staging_xcm::{latest::prelude::*, VersionedAssets, VersionedLocation},
	staging_xcm_builder::SiblingParachainConvertsVia,
	staging_xcm_executor::{traits::ConvertLocation, XcmExecutor},
};

const ALICE: [u8; 32] = [1; 32];
const BENEFICIARY: [u8; 32] = [7; 32];

fn sibling() -> Location {
	Location::new(1, [Parachain(2000)])
}

fn sibling_account() -> AccountId {
	SiblingParachainConvertsVia::<Sibling, AccountId>::convert_location(&sibling())
		.expect("a sibling has a sovereign account")
}

fn ext() -> sp_io::TestExternalities {
	let config = RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: vec![
				(AccountId::from(ALICE), 1_000 * UNIT),
				(sibling_account(), 1_000 * UNIT),
			],
			..Default::default()
		},
		..Default::default()
	};
	let mut ext = sp_io::TestExternalities::new(config.build_storage().expect("genesis builds"));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn execute(origin: Location, message: Xcm<llmnet_runtime::RuntimeCall>) -> Outcome {
	let mut hash = message.using_encoded(polkadot_sdk::sp_io::hashing::blake2_256);
	XcmExecutor::<XcmConfig>::prepare_and_execute(
		origin,
		message,
		&mut hash,
		Weight::from_parts(100_000_000_000, 1024 * 1024),
		Weight::zero(),
	)
}

fn balance(who: [u8; 32]) -> Balance {
	Balances::balance(&AccountId::from(who))
}

/// Before: the relay chain's token arriving as a reserve transfer was deposited as LLMN, 1:1 in
/// planck (an uncapped source of issuance). After: no location is a reserve of any asset here.
#[test]
fn a_reserve_transfer_of_the_relay_token_mints_nothing() {
	ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		let dot: Asset = (Location::parent(), 100 * UNIT).into();
		let message = Xcm(vec![
			ReserveAssetDeposited(dot.clone().into()),
			ClearOrigin,
			BuyExecution { fees: dot, weight_limit: Unlimited },
			DepositAsset {
				assets: AllCounted(1).into(),
				beneficiary: AccountId32 { network: None, id: BENEFICIARY }.into(),
			},
		]);
		let outcome = execute(Location::parent(), message);
		assert!(!matches!(outcome, Outcome::Complete { .. }), "{outcome:?}");
		assert_eq!(balance(BENEFICIARY), 0);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

/// Before: `XcmTeleportFilter = Everything` let a user teleport LLMN to the relay chain, which
/// does not accept it. After: teleports are filtered.
#[test]
fn llmn_cannot_be_teleported_away() {
	ext().execute_with(|| {
		let before = balance(ALICE);
		let dest: VersionedLocation = Location::parent().into();
		let beneficiary: VersionedLocation =
			Location::new(0, [AccountId32 { network: None, id: ALICE }]).into();
		for asset in [Location::here(), Location::parent()] {
			let assets: VersionedAssets =
				Assets::from(vec![(asset.clone(), 10 * UNIT).into()]).into();
			let result = PolkadotXcm::limited_teleport_assets(
				RuntimeOrigin::signed(AccountId::from(ALICE)),
				Box::new(dest.clone()),
				Box::new(beneficiary.clone()),
				Box::new(assets),
				0,
				Unlimited,
			);
			assert_eq!(result, Err(pallet_xcm_filtered()), "teleport of LLMN as {asset:?}");
		}
		assert_eq!(balance(ALICE), before);
	});
}

fn pallet_xcm_filtered() -> polkadot_sdk::sp_runtime::DispatchError {
	polkadot_sdk::pallet_xcm::Error::<Runtime>::Filtered.into()
}

/// LLMN is `Here`: a sibling's sovereign account can pay for execution and move its LLMN to a
/// local account (the adapter matches the chain's own asset, not the relay chain's).
#[test]
fn llmn_is_this_chains_own_asset() {
	ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		let llmn: Asset = (Location::here(), 10 * UNIT).into();
		let message = Xcm(vec![
			WithdrawAsset(llmn.clone().into()),
			BuyExecution { fees: llmn, weight_limit: Unlimited },
			DepositAsset {
				assets: AllCounted(1).into(),
				beneficiary: AccountId32 { network: None, id: BENEFICIARY }.into(),
			},
		]);
		let outcome = execute(sibling(), message);
		assert!(matches!(outcome, Outcome::Complete { .. }), "{outcome:?}");
		let received = balance(BENEFICIARY);
		assert!(received > 9 * UNIT && received < 10 * UNIT, "received {received}");
		assert_eq!(Balances::balance(&sibling_account()), 990 * UNIT);
		// Fees go to the block author (none here: burned by the trader's drop), never minted.
		assert!(Balances::total_issuance() <= issuance);
	});
}

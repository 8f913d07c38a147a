//! End-to-end: a real `llmnet-node --dev` on free ports, driven over JSON-RPC like a front end.
//!
//! Needs the release node binary (see `llmnet_e2e::node::node_binary`); the README's test
//! command builds it first.

use codec::{Compact, Decode, Encode};
use llmnet_e2e::{chain::Chain, keys::DevKey, node::Node};
use std::time::{Duration, Instant};

const UNIT: u128 = 1_000_000_000_000;

#[test]
fn dev_node_produces_blocks_serves_metadata_and_includes_signed_extrinsics() {
	let started = Instant::now();
	let mut node = Node::dev(1000, &[]).unwrap_or_else(|e| panic!("node did not start: {e}"));
	let up = started.elapsed();

	// Blocks are produced and finalized (dev mode seals and finalizes every block).
	let best = node.wait_for_block(3, Duration::from_secs(60)).unwrap_or_else(|e| panic!("{e}"));
	assert!(best >= 3);
	let finalized =
		node.finalized_number().unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	assert!(finalized >= 1, "nothing finalized by block {best}\n{}", node.log_tail(40));

	// Metadata V15/V16 with our pallets and runtime APIs.
	let chain = Chain::connect(&node.rpc).unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	assert!(chain.meta.version >= 15);
	for pallet in [
		"System",
		"ParachainSystem",
		"Timestamp",
		"Balances",
		"TransactionPayment",
		"Sudo",
		"CollatorSelection",
		"Session",
		"Aura",
		"XcmpQueue",
		"PolkadotXcm",
		"MessageQueue",
		"LlmnetStaking",
	] {
		chain.meta.pallet(pallet).unwrap_or_else(|e| panic!("{e}"));
	}
	for (api, method) in [
		("Core", "version"),
		("Metadata", "metadata_at_version"),
		("AuraApi", "slot_duration"),
		("OffchainWorkerApi", "offchain_worker"),
		("GenesisBuilder", "get_preset"),
		("AccountNonceApi", "account_nonce"),
		("LlmnetStakingApi", "domains"),
	] {
		assert!(
			chain.meta.has_api(api, method),
			"runtime API {api}::{method} missing from metadata"
		);
	}

	// The development preset registered the LLM domains; the runtime API returns them.
	let raw = node.rpc.state_call("LlmnetStakingApi_domains", &[], None).unwrap();
	let domains = Vec::<(u32, Vec<u8>, bool)>::decode(&mut &raw[..]).expect("Vec<DomainView>");
	let names: Vec<String> =
		domains.iter().map(|(_, n, _)| String::from_utf8_lossy(n).into()).collect();
	for d in ["math", "code", "medicine", "law"] {
		assert!(names.contains(&d.to_string()), "domain {d} missing: {names:?}");
	}
	assert!(domains.iter().enumerate().all(|(i, (id, _, active))| *id == i as u32 && *active));

	// A signed transfer from Alice to Bob is included and emits `Balances::Transfer`.
	let (alice, bob) = (DevKey::alice(), DevKey::bob());
	let bob_before = chain.free_balance(&bob.account()).unwrap();
	assert!(bob_before > 0, "Bob is endowed in the development preset");
	let amount = 7 * UNIT;
	let mut args = vec![0u8]; // MultiAddress::Id
	args.extend_from_slice(&bob.account());
	Compact(amount).encode_to(&mut args);
	// Arguments that do not match the call's parameter types fail before anything is signed:
	// a byte left over, a byte missing, an unknown `MultiAddress` variant.
	let mut extra = args.clone();
	extra.push(0);
	let mut bad_variant = args.clone();
	bad_variant[0] = 9;
	for bad in [extra, args[..args.len() - 1].to_vec(), bad_variant] {
		let refused = chain.call("Balances", "transfer_keep_alive", &bad);
		assert!(
			refused.as_ref().is_err_and(|e| e.contains("do not match the metadata")),
			"{refused:?}"
		);
	}
	assert!(chain.call("Balances", "no_such_call", &args).is_err());
	let call = chain.call("Balances", "transfer_keep_alive", &args).unwrap();
	let included = chain
		.sign_and_submit(&alice, &call, Duration::from_secs(30))
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	assert!(included.succeeded(), "transfer failed: {:?}", included.events);
	let transfer = included.event("Balances", "Transfer").expect("Transfer event");
	assert_eq!(transfer.field("from").and_then(|v| v.as_bytes()), Some(&alice.account()[..]));
	assert_eq!(transfer.field("to").and_then(|v| v.as_bytes()), Some(&bob.account()[..]));
	assert_eq!(transfer.field("amount").and_then(|v| v.as_u128()), Some(amount));
	assert_eq!(chain.free_balance(&bob.account()).unwrap(), bob_before + amount);

	// Root (Alice through sudo) registers a domain: the pallet's event and runtime API agree.
	let inner =
		chain.call("LlmnetStaking", "register_domain", &b"finance".to_vec().encode()).unwrap();
	let call = chain.call("Sudo", "sudo", &inner).unwrap();
	let included = chain.sign_and_submit(&alice, &call, Duration::from_secs(30)).unwrap();
	let sudid = included.event("Sudo", "Sudid").expect("Sudid event");
	assert_eq!(sudid.field("sudo_result").and_then(|v| v.variant_name()), Some("Ok"), "{sudid:?}");
	let registered = included.event("LlmnetStaking", "DomainRegistered").expect("DomainRegistered");
	let new_id = registered.field("domain").and_then(|v| v.as_u128()).unwrap() as u32;
	assert_eq!(new_id as usize, domains.len());
	assert_eq!(registered.field("name").and_then(|v| v.as_bytes()), Some(&b"finance"[..]));
	let raw = node.rpc.state_call("LlmnetStakingApi_domains", &[], None).unwrap();
	let after = Vec::<(u32, Vec<u8>, bool)>::decode(&mut &raw[..]).unwrap();
	assert_eq!(after.last(), Some(&(new_id, b"finance".to_vec(), true)));

	// The same call signed by Bob (not root) is rejected by the dispatch, not included as Ok.
	let included = chain.sign_and_submit(&bob, &inner, Duration::from_secs(30)).unwrap();
	assert!(included.event("System", "ExtrinsicFailed").is_some(), "{:?}", included.events);

	eprintln!(
		"dev node: RPC up after {:.1}s, block #{} after {:.1}s, RSS {} KiB",
		up.as_secs_f64(),
		chain.best_number().unwrap_or_default(),
		started.elapsed().as_secs_f64(),
		node.rss_kib().unwrap_or_default()
	);
	node.stop();
}

#[test]
fn chain_specs_are_built_in_and_exportable() {
	for (chain, id, chain_type) in
		[("dev", "llmnet_dev", "Development"), ("local", "llmnet_local", "Local")]
	{
		let out = std::process::Command::new(llmnet_e2e::node::node_binary())
			.args(["export-chain-spec", "--chain", chain])
			.output()
			.expect("node binary runs");
		assert!(
			out.status.success(),
			"export-chain-spec --chain {chain}: {}",
			String::from_utf8_lossy(&out.stderr)
		);
		let spec: serde_json::Value =
			serde_json::from_slice(&out.stdout).expect("chain spec is JSON");
		assert_eq!(spec["id"], id);
		assert_eq!(spec["chainType"], chain_type);
		assert_eq!(spec["relay_chain"], "rococo-local");
		assert_eq!(spec["para_id"], 1000);
		assert_eq!(spec["properties"]["tokenSymbol"], "LLMN");
		assert_eq!(spec["properties"]["tokenDecimals"], 12);
		assert!(spec["genesis"].is_object(), "genesis missing");
	}
}

//! End-to-end: the LLM-Net registry and reputation on a real dev node, through signed
//! extrinsics and the runtime APIs a front end uses.

use codec::{Compact, Encode};
use llmnet_e2e::{chain::Chain, keys::DevKey, node::Node, value::Value};
use std::time::Duration;

const UNIT: u128 = 1_000_000_000_000;
const T: Duration = Duration::from_secs(30);

fn account_of(v: &Value) -> Vec<u8> {
	v.field("account").and_then(|a| a.as_bytes()).map(|b| b.to_vec()).unwrap_or_default()
}

#[test]
fn dev_chain_has_providers_and_delegation_and_reputation_work() {
	let node = Node::dev(1000, &[]).unwrap_or_else(|e| panic!("node did not start: {e}"));
	let chain = Chain::connect(&node.rpc).unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(40)));
	let (alice, bob) = (DevKey::alice(), DevKey::bob());

	// The development preset registered providers; the math domain (0) lists them by stake.
	let math = chain
		.runtime_api("LlmnetStakingApi", "nodes_in_domain", &(0u32, 0u32, 20u32).encode())
		.unwrap();
	let math = math.as_seq().expect("a list of nodes");
	assert!(math.len() >= 3, "dev providers in math: {math:?}");
	let bob_view = math.iter().find(|n| account_of(n) == bob.account()).expect("Bob provides math");
	assert_eq!(bob_view.field("roles").and_then(|r| r.field("provider")), Some(&Value::Bool(true)));
	assert_eq!(bob_view.field("bond").and_then(|b| b.as_u128()), Some(1_000 * UNIT));
	let caps = bob_view.field("capabilities").and_then(|c| c.as_seq()).unwrap();
	assert!(
		caps.iter().all(|c| c.at(1).and_then(|s| s.variant_name()) == Some("Some")),
		"{caps:?}"
	);

	// Alice delegates 50 LLMN to Bob.
	let mut args = bob.account().to_vec();
	Compact(50 * UNIT).encode_to(&mut args);
	let call = chain.call("LlmnetStaking", "delegate", &args).unwrap();
	let inc = chain
		.sign_and_submit(&alice, &call, T)
		.unwrap_or_else(|e| panic!("{e}\n{}", node.log_tail(30)));
	let ev = inc.event("LlmnetStaking", "Delegated").unwrap_or_else(|| panic!("{:?}", inc.events));
	assert_eq!(ev.field("amount").and_then(|v| v.as_u128()), Some(50 * UNIT));
	let positions =
		chain.runtime_api("LlmnetStakingApi", "delegations_of", &alice.account().encode()).unwrap();
	let p = positions.at(0).expect("one position");
	assert_eq!(p.field("node").and_then(|v| v.as_bytes()), Some(&bob.account()[..]));
	assert_eq!(p.field("value").and_then(|v| v.as_u128()), Some(50 * UNIT));
	let bob_now = chain.runtime_api("LlmnetStakingApi", "node", &bob.account().encode()).unwrap();
	let bob_now = bob_now.at(0).expect("Some(NodeView)");
	assert_eq!(bob_now.field("delegated").and_then(|v| v.as_u128()), Some(50 * UNIT));

	// A newcomer registers in `law` (3) and is not capable until root says so.
	let zed = DevKey::new("Zed");
	let mut args = vec![0u8];
	args.extend_from_slice(&zed.account());
	Compact(10_000 * UNIT).encode_to(&mut args);
	let call = chain.call("Balances", "transfer_keep_alive", &args).unwrap();
	assert!(chain.sign_and_submit(&alice, &call, T).unwrap().succeeded());
	let roles = (true, false, false);
	let args = (roles, vec![3u32], b"zed-7b".to_vec(), b"contracts and torts".to_vec(), 200 * UNIT)
		.encode();
	let call = chain.call("LlmnetStaking", "register", &args).unwrap();
	let inc = chain.sign_and_submit(&zed, &call, T).unwrap();
	assert!(inc.event("LlmnetStaking", "NodeRegistered").is_some(), "{:?}", inc.events);
	let view = chain.runtime_api("LlmnetStakingApi", "node", &zed.account().encode()).unwrap();
	let view = view.at(0).expect("registered");
	assert_eq!(view.field("model").and_then(|v| v.as_bytes()), Some(&b"zed-7b"[..]));
	let cap = view.field("capabilities").and_then(|c| c.at(0)).and_then(|c| c.at(1)).unwrap();
	assert_eq!(cap.variant_name(), Some("None"));
	let inner = chain
		.call("LlmnetStaking", "set_capability", &(zed.account(), 3u32, true).encode())
		.unwrap();
	let inc =
		chain.sign_and_submit(&alice, &chain.call("Sudo", "sudo", &inner).unwrap(), T).unwrap();
	assert!(inc.event("LlmnetStaking", "CapabilitySet").is_some(), "{:?}", inc.events);

	// Reputation: newcomers read the initial 0.5; a forced score shows in the leaderboard.
	let rep = chain
		.runtime_api("LlmnetReputationApi", "reputation", &(bob.account(), 0u32, 0u8).encode())
		.unwrap();
	assert_eq!(rep.field("value").and_then(|v| v.as_u128()), Some(500_000_000));
	assert_eq!(rep.field("observations").and_then(|v| v.as_u128()), Some(0));
	let inner = chain
		.call(
			"LlmnetReputation",
			"force_set_reputation",
			&(bob.account(), 0u32, 0u8, 900_000_000u32).encode(),
		)
		.unwrap();
	let inc =
		chain.sign_and_submit(&alice, &chain.call("Sudo", "sudo", &inner).unwrap(), T).unwrap();
	assert!(inc.event("LlmnetReputation", "ReputationForced").is_some(), "{:?}", inc.events);
	let board = chain
		.runtime_api("LlmnetReputationApi", "leaderboard", &(0u32, 0u8, 0u32, 10u32).encode())
		.unwrap();
	let first = board.at(0).expect("one entry");
	assert_eq!(first.at(0).and_then(|v| v.as_bytes()), Some(&bob.account()[..]));
	assert_eq!(
		first.at(1).and_then(|v| v.field("value")).and_then(|v| v.as_u128()),
		Some(900_000_000)
	);
}

//! `llmnet-sim [--addr 127.0.0.1:8089]`: serve the simulator's personas on
//! `POST /v1/chat/completions` (and `GET /v1/models`, `GET /health`).

fn main() {
	let mut addr = "127.0.0.1:8089".to_string();
	let mut args = std::env::args().skip(1);
	while let Some(a) = args.next() {
		match a.as_str() {
			"--addr" => addr = args.next().unwrap_or(addr),
			"-h" | "--help" => {
				println!("llmnet-sim [--addr HOST:PORT]   OpenAI-compatible simulator (personas sim-persona-<iq>)");
				return;
			}
			other => {
				eprintln!("unknown argument {other}");
				std::process::exit(2);
			}
		}
	}
	match llmnet_sim::spawn(&addr) {
		Ok((bound, handle)) => {
			println!("llmnet-sim listening on http://{bound}");
			let _ = handle.join();
		}
		Err(e) => {
			eprintln!("cannot listen on {addr}: {e}");
			std::process::exit(1);
		}
	}
}

const options = { region: "au", apiKey: "Zx81Yw72Vu63Ts54" };

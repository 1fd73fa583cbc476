// Package mosquittotest runs a real, throw-away Mosquitto broker on
// 127.0.0.1 for tests of the MQTT input, the simulator and the end-to-end
// module. It depends only on the standard library and Paho (for Subscribe),
// so that any module of the repository can import it.
//
// Where mosquitto is not installed a test using the broker is skipped, or
// fails when CI=true; scripts/install-mosquitto.sh installs it.
package mosquittotest // import "github.com/netify-otel/netifyflowstatsreceiver/internal/mosquittotest"

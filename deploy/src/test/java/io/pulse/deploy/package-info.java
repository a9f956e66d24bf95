/** Tests that parse Pulse's deploy artifacts and check their wiring against the code. */
package io.pulse.deploy;

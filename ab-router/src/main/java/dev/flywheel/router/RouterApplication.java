package dev.flywheel.router;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import dev.flywheel.support.ManagementSecurity;

/** The A/B router: the public entry point that assigns requests to model versions and decides between them. */
@SpringBootApplication
@Import(ManagementSecurity.class)
public class RouterApplication {

	public static void main(String[] args) {
		SpringApplication.run(RouterApplication.class, args);
	}

}

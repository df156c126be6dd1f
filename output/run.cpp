#include<stdlib.h>
#include "objects.h"
#include<ctime>
#include<random>

#include "code_objects/scrutable_ei_pre_codeobject.h"
#include "code_objects/scrutable_ei_pre_push_spikes.h"
#include "code_objects/scrutable_ei_synapses_create_generator_codeobject.h"
#include "code_objects/scrutable_exc_rest_codeobject.h"
#include "code_objects/scrutable_exc_spike_resetter_codeobject.h"
#include "code_objects/scrutable_exc_spike_thresholder_codeobject.h"
#include "code_objects/scrutable_exc_stateupdater_codeobject.h"
#include "code_objects/scrutable_ie_pre_codeobject.h"
#include "code_objects/scrutable_ie_pre_push_spikes.h"
#include "code_objects/scrutable_ie_synapses_create_generator_codeobject.h"
#include "code_objects/scrutable_inh_rest_codeobject.h"
#include "code_objects/scrutable_inh_spike_resetter_codeobject.h"
#include "code_objects/scrutable_inh_spike_thresholder_codeobject.h"
#include "code_objects/scrutable_inh_stateupdater_codeobject.h"
#include "code_objects/scrutable_input_codeobject.h"
#include "code_objects/scrutable_mon_e_codeobject.h"
#include "code_objects/scrutable_mon_i_codeobject.h"
#include "code_objects/scrutable_normalize_codeobject.h"
#include "code_objects/scrutable_syn_post_codeobject.h"
#include "code_objects/scrutable_syn_post_push_spikes.h"
#include "code_objects/scrutable_syn_pre_codeobject.h"
#include "code_objects/scrutable_syn_pre_push_spikes.h"
#include "code_objects/scrutable_syn_summed_variable_wsum_post_codeobject.h"
#include "code_objects/scrutable_syn_synapses_create_generator_codeobject.h"


void brian_start()
{
	_init_arrays();
	_load_arrays();
	// Initialize clocks (link timestep and dt to the respective arrays)
    brian::scrutable_ei_clock.timestep = brian::_array_scrutable_ei_clock_timestep;
    brian::scrutable_ei_clock.dt = brian::_array_scrutable_ei_clock_dt;
    brian::scrutable_ei_clock.t = brian::_array_scrutable_ei_clock_t;
    brian::scrutable_exc_clock.timestep = brian::_array_scrutable_exc_clock_timestep;
    brian::scrutable_exc_clock.dt = brian::_array_scrutable_exc_clock_dt;
    brian::scrutable_exc_clock.t = brian::_array_scrutable_exc_clock_t;
    brian::scrutable_exc_rest_clock.timestep = brian::_array_scrutable_exc_rest_clock_timestep;
    brian::scrutable_exc_rest_clock.dt = brian::_array_scrutable_exc_rest_clock_dt;
    brian::scrutable_exc_rest_clock.t = brian::_array_scrutable_exc_rest_clock_t;
    brian::scrutable_ie_clock.timestep = brian::_array_scrutable_ie_clock_timestep;
    brian::scrutable_ie_clock.dt = brian::_array_scrutable_ie_clock_dt;
    brian::scrutable_ie_clock.t = brian::_array_scrutable_ie_clock_t;
    brian::scrutable_inh_clock.timestep = brian::_array_scrutable_inh_clock_timestep;
    brian::scrutable_inh_clock.dt = brian::_array_scrutable_inh_clock_dt;
    brian::scrutable_inh_clock.t = brian::_array_scrutable_inh_clock_t;
    brian::scrutable_inh_rest_clock.timestep = brian::_array_scrutable_inh_rest_clock_timestep;
    brian::scrutable_inh_rest_clock.dt = brian::_array_scrutable_inh_rest_clock_dt;
    brian::scrutable_inh_rest_clock.t = brian::_array_scrutable_inh_rest_clock_t;
    brian::scrutable_input_clock.timestep = brian::_array_scrutable_input_clock_timestep;
    brian::scrutable_input_clock.dt = brian::_array_scrutable_input_clock_dt;
    brian::scrutable_input_clock.t = brian::_array_scrutable_input_clock_t;
    brian::scrutable_normalize_clock.timestep = brian::_array_scrutable_normalize_clock_timestep;
    brian::scrutable_normalize_clock.dt = brian::_array_scrutable_normalize_clock_dt;
    brian::scrutable_normalize_clock.t = brian::_array_scrutable_normalize_clock_t;
    brian::scrutable_syn_clock.timestep = brian::_array_scrutable_syn_clock_timestep;
    brian::scrutable_syn_clock.dt = brian::_array_scrutable_syn_clock_dt;
    brian::scrutable_syn_clock.t = brian::_array_scrutable_syn_clock_t;
}

void brian_end()
{
	_write_arrays();
	_dealloc_arrays();
}


